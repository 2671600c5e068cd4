/**
 * Child processes for the parse sandbox. Starting one (Node + tsx + pdf.js + mammoth) costs about a second of CPU,
 * so one spare is kept warm, started right after the previous one was taken; it is unreferenced (it never keeps
 * the caller alive) and exits when its parent goes away. Each child parses exactly one file.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CHILD = fileURLToPath(new URL('./parse-child.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let spare: { child: ChildProcess; memoryMb: number } | null = null;

function start(memoryMb: number): ChildProcess {
  const child = fork(CHILD, [], {
    execArgv: ['--import', TSX_LOADER, `--max-old-space-size=${memoryMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  child.on('error', () => {});
  child.unref();
  child.channel?.unref();
  return child;
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null && child.connected;

/** A child ready to parse one file with this V8 heap cap; the caller owns it and must kill it when done. */
export function takeSandboxProcess(memoryMb: number): ChildProcess {
  const warm = spare && spare.memoryMb === memoryMb && alive(spare.child) ? spare.child : null;
  if (spare && !warm) spare.child.kill('SIGKILL');
  spare = { child: start(memoryMb), memoryMb };
  const child = warm ?? start(memoryMb);
  child.ref();
  child.channel?.ref();
  return child;
}

/** Stops the warm spare (shutdown, end of a test file). */
export function closeParseSandbox(): void {
  spare?.child.kill('SIGKILL');
  spare = null;
}
