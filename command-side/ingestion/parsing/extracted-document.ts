/** What the sandbox gives the pipeline for one file: the parse's counts and the chunks of its text. */
import type { Chunk } from '../chunking/chunker.ts';

export interface ExtractedDocument {
  blockCount: number;
  /** 0 when the format has no pages. */
  pageCount: number;
  charCount: number;
  chunks: Chunk[];
}
