/**
 * Entry point of the parse sandbox (a child process started by sandbox-process.ts). Once the parsers are loaded it
 * says so, parses one file and, when asked, chunks its text too, sends back the result or the failure reason, and
 * exits. Its memory and time are watched from the parent. Chunking runs here rather than in the worker because its
 * cost follows the shape of the user's text (seconds for megabytes of one unbroken run) and the worker shares its
 * event loop with the API.
 */
import { Worker } from 'node:worker_threads';
import { chunkDocument } from '../chunking/chunk-document.ts';
import { DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from '../chunking/options.ts';
import { parseInProcess, type ParseRequest } from './parse-in-process.ts';
import { isParseFailure, ParseFailure, type ParsedDocument, type ParseFailureReason } from './types.ts';
import type { ExtractedDocument } from './extracted-document.ts';

export type ParseReply =
  | { ok: true; parsed: ParsedDocument }
  | { ok: true; extracted: ExtractedDocument }
  | { ok: false; reason: ParseFailureReason; detail?: string };

/** Sent once parsing is done and chunking starts, so a time or memory failure names the right step. */
export interface ChunkingStarted {
  phase: 'chunking';
}

/**
 * Chunks go back a few hundred per message before the reply that ends the parse: the parent decodes each message
 * in one go on the loop that also answers the API, and 16,000 chunks in a single message took 70 ms to decode.
 */
export interface ChunksBatch {
  phase: 'chunks';
  chunks: ExtractedDocument['chunks'];
}

const CHUNKS_PER_MESSAGE = 256;

export interface ParseMessage {
  bytes: Uint8Array;
  request: ParseRequest;
  /** Present: chunk the parsed text and reply with the chunks instead of the blocks. */
  chunkOptions?: ChunkOptions;
}

// Defence in depth: no parser here has any business on the network.
globalThis.fetch = () => Promise.reject(new Error('the parse sandbox never fetches'));

// The parent going away (or dropping this spare) ends the child. A parser stuck in a synchronous loop never sees
// 'disconnect', so a watchdog thread also checks that the parent is still ours and kills the process if not.
process.on('disconnect', () => process.exit(0));
const ORPHAN_WATCHDOG = `
const { workerData } = require('node:worker_threads');
setInterval(() => { if (process.ppid !== workerData.parent) process.kill(process.pid, 'SIGKILL'); }, 250);
`;
new Worker(ORPHAN_WATCHDOG, { eval: true, workerData: { parent: process.ppid } }).unref();

function chunked(parsed: ParsedDocument, options: ChunkOptions): ExtractedDocument {
  process.send?.({ phase: 'chunking' } satisfies ChunkingStarted);
  try {
    const chunks = chunkDocument(parsed, options);
    return { blockCount: parsed.blocks.length, pageCount: parsed.pageCount ?? 0, charCount: parsed.charCount, chunks };
  } catch (error) {
    throw new ParseFailure('the text could not be split into chunks', { cause: error });
  }
}

async function handle(message: ParseMessage): Promise<ParseReply> {
  const parsed = await parseInProcess(message.bytes, message.request);
  return message.chunkOptions ? { ok: true, extracted: chunked(parsed, message.chunkOptions) } : { ok: true, parsed };
}

/** Sends an extraction's chunks in batches first; the reply that ends the parse then carries none. */
function withChunksSentAhead(reply: ParseReply): ParseReply {
  if (!reply.ok || !('extracted' in reply)) return reply;
  const { chunks } = reply.extracted;
  for (let start = 0; start < chunks.length; start += CHUNKS_PER_MESSAGE) {
    process.send?.({ phase: 'chunks', chunks: chunks.slice(start, start + CHUNKS_PER_MESSAGE) } satisfies ChunksBatch);
  }
  return { ok: true, extracted: { ...reply.extracted, chunks: [] } };
}

process.once('message', (message: ParseMessage) => {
  handle(message)
    .catch(
      (error: unknown): ParseReply =>
        isParseFailure(error)
          ? { ok: false, reason: error.reason, detail: error.cause === undefined ? undefined : String(error.cause) }
          : { ok: false, reason: 'parser stopped unexpectedly', detail: String(error) },
    )
    .then((reply) => {
      process.send?.(withChunksSentAhead(reply), () => process.exit(0));
    });
});

/**
 * A fresh child's first chunking runs cold (the tokenizer not yet compiled by the JIT, its caches empty) and took
 * ~3x as long as a warm one on a 1,600-chunk manual. Children wait as spares, so one chunks a small sample of
 * English and Chinese before it says it is ready, off the path of the file it will get.
 */
function warmUp(): void {
  const english = 'Check the pump valve and replace the worn gasket when the pressure drops below the mark. ';
  const chinese = '检查水泵阀门，压力低于标记时更换磨损的垫片。';
  const blocks: ParsedDocument['blocks'] = [{ kind: 'heading', text: 'Pump maintenance', level: 1 }];
  for (let i = 0; i < 24; i++) blocks.push({ kind: 'paragraph', text: `${english.repeat(6)}${chinese.repeat(4)} ${i}` });
  chunkDocument({ mediaType: 'text/markdown', blocks, charCount: 0 }, DEFAULT_CHUNK_OPTIONS);
}

warmUp();
process.send?.({ ready: true });
