/**
 * Parses a file in a sandbox: a child process with a V8 heap cap, a resident-memory cap watched from here
 * (/proc/<pid>/status: V8 flags do not cap ArrayBuffers or WASM) and a wall-clock limit. A bomb ends in a
 * ParseFailure within the limits and the caller's event loop never waits on the parser.
 */
import { readFile } from 'node:fs/promises';
import type { ParseReply } from './parse-child.ts';
import { takeSandboxProcess } from './sandbox-process.ts';
import { ParseFailure, type MediaType, type ParseFailureReason, type ParseLimits, type ParsedDocument, type TextEncoding } from './types.ts';

const MEMORY_POLL_MS = 20;

export interface ParseOptions {
  mediaType: MediaType;
  /** For text types, as found by detectMediaType; recognised again when absent. */
  encoding?: TextEncoding;
  limits: ParseLimits;
}

async function residentKb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** V8 aborts the process when the heap cap is reached. */
const crashReason = (signal: NodeJS.Signals | null): ParseFailureReason =>
  signal === 'SIGABRT' || signal === 'SIGTRAP' ? 'parsing needed too much memory' : 'parser stopped unexpectedly';

/**
 * Rejects with a ParseFailure when the file cannot be parsed (the reason is for people), or with a plain Error when
 * the sandbox itself could not start (worth a retry, not the file's fault).
 */
export async function parseDocument(bytes: Uint8Array, options: ParseOptions): Promise<ParsedDocument> {
  if (bytes.length === 0) throw new ParseFailure('file is empty');
  const { limits } = options;
  const { child, ready } = await takeSandboxProcess(limits.memoryMb);
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return new Promise<ParsedDocument>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(watcher);
      child.kill('SIGKILL');
      outcome();
    };
    const fail = (reason: ParseFailureReason, cause?: unknown) =>
      finish(() => reject(new ParseFailure(reason, { cause })));
    const deadline = setTimeout(() => fail('parsing took too long'), limits.timeoutMs);
    const watcher = setInterval(() => {
      if (child.pid === undefined) return;
      void residentKb(child.pid).then((kb) => {
        if (kb !== null && kb > limits.memoryMb * 1024) fail('parsing needed too much memory', `${kb} kB resident`);
      });
    }, MEMORY_POLL_MS);
    child.on('message', (reply: ParseReply) =>
      reply.ok ? finish(() => resolve(reply.parsed)) : fail(reply.reason, reply.detail),
    );
    child.on('error', (error) => finish(() => reject(error)));
    child.on('exit', (code, signal) => fail(crashReason(signal), `exit ${code ?? signal}`));
    child.send({ bytes, request: { mediaType: options.mediaType, encoding: options.encoding, limits } });
  });
}
