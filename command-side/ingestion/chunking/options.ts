/**
 * Chunk size. With o200k_base, English prose runs ~1.29 tokens per word and Chinese ~0.82 tokens per character
 * (measured on ops/testing/data). 300 tokens keeps English chunks at most ~250 words (mean ~205 on SQuAD); the CJK
 * cap keeps Chinese chunks at most 400 characters; 50 tokens of overlap is ~40 English words or ~60 Chinese
 * characters: the sizes the design-time retrieval figures in docs/ARCHITECTURE.md were measured with.
 */
export interface ChunkOptions {
  /** Hard upper bound of a chunk's tokens. */
  maxTokens: number;
  /** Hard upper bound of a chunk's Chinese, Japanese and Korean characters. */
  maxCjkChars: number;
  /** Tokens of the previous chunk repeated at the start of the next one within a section. */
  overlapTokens: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxTokens: 300, maxCjkChars: 400, overlapTokens: 50 };

export function validateChunkOptions(options: ChunkOptions): ChunkOptions {
  const { maxTokens, maxCjkChars, overlapTokens } = options;
  if (!Number.isInteger(maxTokens) || maxTokens < 16) throw new RangeError('maxTokens must be an integer >= 16');
  if (!Number.isInteger(maxCjkChars) || maxCjkChars < 16) throw new RangeError('maxCjkChars must be an integer >= 16');
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens * 2 > maxTokens) {
    throw new RangeError('overlapTokens must be an integer between 0 and maxTokens / 2');
  }
  return options;
}
