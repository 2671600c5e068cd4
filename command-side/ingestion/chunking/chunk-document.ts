/**
 * Chunks a parsed document (see chunker.ts for the rules). chunkDocument runs in one go; chunkDocumentAsync gives
 * the event loop a turn every few milliseconds, for callers that share their process with an API (a 5 MB text
 * takes seconds of tokenizer time).
 */
import type { ParsedDocument } from '../parsing/types.ts';
import { blockSlices } from './block-slices.ts';
import { createChunker, type Chunk } from './chunker.ts';
import { DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from './options.ts';

export type { Chunk } from './chunker.ts';

const SLICE_MS = 8;

function topLevelOf(parsed: ParsedDocument): number {
  let level = Infinity;
  for (const block of parsed.blocks) if (block.kind === 'heading') level = Math.min(level, block.level ?? 1);
  return Number.isFinite(level) ? level : 1;
}

export function chunkDocument(parsed: ParsedDocument, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Chunk[] {
  const chunker = createChunker(options, topLevelOf(parsed));
  parsed.blocks.forEach((block, index) => blockSlices(block).forEach((slice) => chunker.add(slice, index)));
  return chunker.finish();
}

export async function chunkDocumentAsync(
  parsed: ParsedDocument,
  options: ChunkOptions = DEFAULT_CHUNK_OPTIONS,
): Promise<Chunk[]> {
  const chunker = createChunker(options, topLevelOf(parsed));
  let sliceStart = performance.now();
  for (const [index, block] of parsed.blocks.entries()) {
    for (const slice of blockSlices(block)) {
      chunker.add(slice, index);
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }
  return chunker.finish();
}
