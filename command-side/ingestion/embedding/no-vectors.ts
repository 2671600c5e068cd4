/**
 * The embedder for a search that gives vectors no weight (SEARCH_DENSE_WEIGHT 0, the local default): it records
 * every chunk as embedded with no vector, so a document becomes indexed without computing, logging and reading
 * back vectors nothing ranks by (8 kB of log per chunk at 1536 dimensions, most of ingestion's time). Turning the
 * dense weight on later needs a reindex of the documents indexed meanwhile, which then get real vectors.
 */
import type { Embedder } from './embedder.ts';

export const NO_VECTORS_MODEL = 'none';

export const noVectors: Embedder = {
  model: NO_VECTORS_MODEL,
  dimensions: 0,
  kind: 'local',
  embed: async (texts) => texts.map(() => new Float32Array(0)),
};
