/**
 * Turns a revision's chunks into DocumentChunked event data, split into parts whose JSON stays under
 * MAX_CHUNK_EVENT_BYTES (events of bounded size: the store caps one event, and projectors read them in batches).
 */
import { eventLoopTurns } from '../../../contracts/event-loop-turns.ts';
import { MAX_CHUNK_EVENT_BYTES, chunkIdOf, type Chunk, type DocumentChunked } from '../../../contracts/documents.ts';

/** A chunk as the chunker gives it, before it gets its id and index. */
export interface ChunkDraft {
  text: string;
  headingPath: string[];
  tokenCount: number;
  page?: number;
}

export interface ChunkedDocument {
  documentId: string;
  knowledgeBaseId: string;
  documentName: string;
  revision: number;
}

/** Room for the event's own fields (ids, name, counters) next to its chunks. */
const ENVELOPE_BYTES = 4 * 1024;

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Sizing every chunk of a large document is tens of milliseconds; it gives the event loop turns meanwhile. */
export async function chunkParts(
  document: ChunkedDocument,
  drafts: readonly ChunkDraft[],
  maxBytes = MAX_CHUNK_EVENT_BYTES,
): Promise<DocumentChunked['data'][]> {
  const budget = maxBytes - ENVELOPE_BYTES - jsonBytes(document.documentName);
  const turns = eventLoopTurns();
  const groups: Chunk[][] = [];
  let current: Chunk[] = [];
  let size = 0;
  for (const [index, draft] of drafts.entries()) {
    await turns.maybeYield();
    const chunk: Chunk = {
      chunkId: chunkIdOf(document.documentId, document.revision, index),
      index,
      text: draft.text,
      headingPath: draft.headingPath,
      tokenCount: draft.tokenCount,
      ...(draft.page !== undefined && { page: draft.page }),
    };
    const bytes = jsonBytes(chunk) + 1;
    if (current.length > 0 && size + bytes > budget) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(chunk);
    size += bytes;
  }
  if (current.length > 0 || groups.length === 0) groups.push(current);
  return groups.map((chunks, i) => ({
    ...document,
    part: i + 1,
    parts: groups.length,
    totalChunks: drafts.length,
    chunks,
  }));
}

/** Chunk ids per ChunksEmbedded batch so that each event's packed vectors stay under the bound too. */
export function embeddingBatchSize(dimensions: number, maxBatch: number, maxBytes = MAX_CHUNK_EVENT_BYTES): number {
  const perChunk = Math.ceil((dimensions * 4 * 4) / 3) + 128; // base64 of the floats + the chunk id
  return Math.max(1, Math.min(maxBatch, Math.floor((maxBytes - ENVELOPE_BYTES) / perChunk)));
}
