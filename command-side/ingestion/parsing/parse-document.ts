/**
 * Parses a file in a sandbox: a child process with a V8 heap cap, a resident-memory cap watched from here
 * (/proc/<pid>/status: V8 flags do not cap ArrayBuffers or WASM) and a wall-clock limit. A bomb ends in a
 * ParseFailure within the limits and the caller's event loop never waits on the parser. extractChunks also chunks
 * the text in the same child, within the same limits: chunking costs seconds on some shapes of text too.
 */
import { readFile } from 'node:fs/promises';
import type { ChunkOptions } from '../chunking/options.ts';
import type { ExtractedDocument } from './extracted-document.ts';
import type { ChunkingStarted, ChunksBatch, ParseMessage, ParseReply } from './parse-child.ts';
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

type Success = Extract<ParseReply, { ok: true }>;

/**
 * Runs one job in a fresh sandbox child. Rejects with a ParseFailure when the file cannot be handled (the reason is
 * for people), or with a plain Error when the sandbox itself could not start (worth a retry, not the file's fault).
 */
async function runInSandbox(bytes: Uint8Array, message: Omit<ParseMessage, 'bytes'>): Promise<Success> {
  if (bytes.length === 0) throw new ParseFailure('file is empty');
  const { limits } = message.request;
  const { child, ready } = await takeSandboxProcess(limits.memoryMb);
  try {
    await ready;
  } catch (error) {
    child.kill();
    throw error;
  }
  return new Promise<Success>((resolve, reject) => {
    let settled = false;
    let chunking = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(watcher);
      child.kill();
      outcome();
    };
    const fail = (reason: ParseFailureReason, cause?: unknown) =>
      finish(() => reject(new ParseFailure(reason, { cause })));
    const deadline = setTimeout(
      () => fail(chunking ? 'splitting the text into chunks took too long' : 'parsing took too long'),
      limits.timeoutMs,
    );
    const watcher = setInterval(() => {
      if (child.pid === undefined) return;
      void residentKb(child.pid).then((kb) => {
        if (kb !== null && kb > limits.memoryMb * 1024) fail('parsing needed too much memory', `${kb} kB resident`);
      });
    }, MEMORY_POLL_MS);
    const chunks: ChunksBatch['chunks'] = [];
    child.on('message', (reply: ParseReply | ChunkingStarted | ChunksBatch) => {
      if ('phase' in reply) {
        if (reply.phase === 'chunking') chunking = true;
        else for (const chunk of reply.chunks) chunks.push(chunk);
      } else if (!reply.ok) fail(reply.reason, reply.detail);
      else if ('extracted' in reply) finish(() => resolve({ ok: true, extracted: { ...reply.extracted, chunks } }));
      else finish(() => resolve(reply));
    });
    child.on('error', (error) => finish(() => reject(error)));
    child.on('exit', (code, signal) => fail(crashReason(signal), `exit ${code ?? signal}`));
    child.send({ bytes, ...message } satisfies ParseMessage);
  });
}

const request = ({ mediaType, encoding, limits }: ParseOptions) => ({ mediaType, encoding, limits });

export async function parseDocument(bytes: Uint8Array, options: ParseOptions): Promise<ParsedDocument> {
  const reply = await runInSandbox(bytes, { request: request(options) });
  if (!('parsed' in reply)) throw new Error('the parse sandbox answered without blocks');
  return reply.parsed;
}

/** Parses and chunks in the sandbox; the blocks never come back, only their counts and the chunks. */
export async function extractChunks(
  bytes: Uint8Array,
  options: ParseOptions & { chunkOptions: ChunkOptions },
): Promise<ExtractedDocument> {
  const reply = await runInSandbox(bytes, { request: request(options), chunkOptions: options.chunkOptions });
  if (!('extracted' in reply)) throw new Error('the parse sandbox answered without chunks');
  return reply.extracted;
}
