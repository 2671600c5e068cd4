/**
 * Child processes for the parse sandbox. Starting one (Node + pdf.js + mammoth) takes a few hundred milliseconds,
 * so one spare is kept warm, started right after the previous one was taken; it is unreferenced (it never keeps
 * the caller alive) and exits when its parent goes away. Each child parses exactly one file.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { sandboxEntry } from './sandbox-build.ts';

export interface SandboxProcess {
  child: ChildProcess;
  /** Settles when the child has loaded the parsers (its start-up is not the file's fault, so limits start then). */
  ready: Promise<void>;
  memoryMb: number;
}

let spare: SandboxProcess | null = null;

function start(entry: string, memoryMb: number): SandboxProcess {
  const child = fork(entry, [], {
    execArgv: [`--max-old-space-size=${memoryMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`parse sandbox exited while starting (${code ?? signal})`)));
  });
  ready.catch(() => {});
  child.unref();
  child.channel?.unref();
  return { child, ready, memoryMb };
}

const alive = ({ child }: SandboxProcess) => child.exitCode === null && child.signalCode === null && child.connected;

/** A child for one file with this V8 heap cap; the caller owns it and must kill it when done. */
export async function takeSandboxProcess(memoryMb: number): Promise<SandboxProcess> {
  const entry = await sandboxEntry();
  const warm = spare && spare.memoryMb === memoryMb && alive(spare) ? spare : null;
  if (spare && !warm) spare.child.kill('SIGKILL');
  spare = start(entry, memoryMb);
  const taken = warm ?? start(entry, memoryMb);
  taken.child.ref();
  taken.child.channel?.ref();
  return taken;
}

/** Stops the warm spare (shutdown, end of a test file). */
export function closeParseSandbox(): void {
  spare?.child.kill('SIGKILL');
  spare = null;
}
