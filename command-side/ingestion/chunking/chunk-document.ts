/**
 * Chunks a parsed document (see chunker.ts for the rules), synchronously: the pipeline runs it in the parse sandbox
 * (parsing/parse-child.ts), never on an event loop that serves the API.
 */
import type { ParsedDocument } from '../parsing/types.ts';
import { blockSlices } from './block-slices.ts';
import { createChunker, type Chunk } from './chunker.ts';
import { DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from './options.ts';

export type { Chunk } from './chunker.ts';

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
