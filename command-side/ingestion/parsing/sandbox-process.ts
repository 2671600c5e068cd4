/**
 * Child processes for the parse sandbox. They are forked by a small launcher process (sandbox-launcher.mjs), not by
 * this one: fork() blocks the caller's event loop until the child has exec'd (measured 140-470 ms on a loaded
 * 2-core machine), and this event loop serves the API. Starting a child (Node + pdf.js + mammoth) takes a few
 * hundred milliseconds, so spares are kept warm, started right after one was taken. Nothing here
 * keeps the caller alive, and the children exit when the launcher goes away. Each child parses exactly one file.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { sandboxEntry } from './sandbox-build.ts';

const LAUNCHER = fileURLToPath(new URL('./sandbox-launcher.mjs', import.meta.url));

/** One sandbox child as seen through the launcher: events 'message', 'error' and 'exit' (code, signal). */
export class SandboxChild extends EventEmitter {
  pid: number | undefined;
  exited = false;

  constructor(
    private readonly launcher: Launcher,
    readonly id: number,
  ) {
    super();
  }

  send(message: unknown): void {
    this.launcher.request({ op: 'send', id: this.id, message });
  }

  kill(): void {
    if (!this.exited) this.launcher.request({ op: 'kill', id: this.id });
  }
}

type LauncherEvent =
  | { id: number; event: 'spawned'; pid: number | undefined }
  | { id: number; event: 'message'; message: unknown }
  | { id: number; event: 'error'; message: string }
  | { id: number; event: 'exit'; code: number | null; signal: NodeJS.Signals | null };

class Launcher {
  private readonly process: ChildProcess;
  private readonly children = new Map<number, SandboxChild>();
  private nextId = 1;
  private held = 0;
  alive = true;

  constructor() {
    this.process = fork(LAUNCHER, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    this.process.unref();
    this.process.channel?.unref();
    this.process.on('message', (event: LauncherEvent) => this.dispatch(event));
    this.process.on('error', () => this.lost());
    this.process.on('exit', () => this.lost());
  }

  start(entry: string, memoryMb: number): SandboxChild {
    const child = new SandboxChild(this, this.nextId++);
    this.children.set(child.id, child);
    this.request({ op: 'start', id: child.id, entry, execArgv: [`--max-old-space-size=${memoryMb}`] });
    return child;
  }

  /** Keeps this process alive while a taken child works for it (the spare alone does not). */
  hold(child: SandboxChild): void {
    if (this.held++ === 0) this.process.channel?.ref();
    child.once('exit', () => {
      if (--this.held === 0) this.process.channel?.unref();
    });
  }

  request(message: object): void {
    if (this.alive) this.process.send(message, (error) => error && this.lost());
  }

  close(): void {
    this.process.kill('SIGKILL');
  }

  private dispatch(event: LauncherEvent): void {
    const child = this.children.get(event.id);
    if (!child) return;
    if (event.event === 'spawned') child.pid = event.pid;
    else if (event.event === 'message') child.emit('message', event.message);
    else if (event.event === 'error') child.emit('error', new Error(event.message));
    else this.exit(child, event.code, event.signal);
  }

  private exit(child: SandboxChild, code: number | null, signal: NodeJS.Signals | null): void {
    this.children.delete(child.id);
    child.exited = true;
    child.emit('exit', code, signal);
  }

  /** The launcher died: its children died with it. */
  private lost(): void {
    if (!this.alive) return;
    this.alive = false;
    for (const child of [...this.children.values()]) this.exit(child, null, 'SIGKILL');
  }
}

export interface SandboxProcess {
  child: SandboxChild;
  /** Settles when the child has loaded the parsers (its start-up is not the file's fault, so limits start then). */
  ready: Promise<void>;
  memoryMb: number;
}

/**
 * Children kept started and loaded ahead of the next files: as many as the ingestion worker parses at once (2), so
 * two uploads arriving together both find one ready instead of the second waiting a child's start-up (0.4 s idle,
 * 1.3-1.5 s on a busy machine). Each idle child holds ~60 MB.
 */
const SPARES = 2;

let launcher: Launcher | null = null;
let spares: SandboxProcess[] = [];

function start(entry: string, memoryMb: number): SandboxProcess {
  if (!launcher?.alive) launcher = new Launcher();
  const child = launcher.start(entry, memoryMb);
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`parse sandbox exited while starting (${code ?? signal})`)));
  });
  ready.catch(() => {});
  return { child, ready, memoryMb };
}

/** A child for one file with this V8 heap cap; the caller owns it and must kill it when done. */
export async function takeSandboxProcess(memoryMb: number): Promise<SandboxProcess> {
  const entry = await sandboxEntry();
  const fit = (candidate: SandboxProcess) => candidate.memoryMb === memoryMb && !candidate.child.exited;
  for (const unfit of spares.filter((candidate) => !fit(candidate))) unfit.child.kill();
  spares = spares.filter(fit);
  const taken = spares.shift() ?? start(entry, memoryMb);
  while (spares.length < SPARES) spares.push(start(entry, memoryMb));
  launcher!.hold(taken.child);
  return taken;
}

/**
 * Builds the child's bundle and starts the launcher ahead of the first file: both block this event loop for a
 * moment (esbuild starts its service with a fork too), which start-up can afford and the first upload cannot.
 */
export async function warmParseSandbox(): Promise<void> {
  await sandboxEntry();
  if (!launcher?.alive) launcher = new Launcher();
}

/** Stops the launcher, the warm spares with it (shutdown, end of a test file). */
export function closeParseSandbox(): void {
  launcher?.close();
  launcher = null;
  spares = [];
}
