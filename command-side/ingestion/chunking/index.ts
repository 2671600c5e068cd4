/** Public API of chunking: structure-aware, overlapping, token-bounded, CJK-aware chunks of a parsed document. */
export { chunkDocument, type Chunk } from './chunk-document.ts';
export { DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from './options.ts';
export { countTokens } from './tokens.ts';
export { cjkCount } from './budget.ts';
