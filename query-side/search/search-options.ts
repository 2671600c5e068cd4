/**
 * Search settings from the configuration. The dense weight, when not set, follows the embedder: 0 for the local
 * hashed embedder (measured: giving it weight ranks below BM25 alone), 0.5 for a real embedding model.
 */
import type { Config } from '../../ops/config/config.ts';
import type { SearchWeights } from './fusion.ts';
import type { Bm25Parameters } from './bm25.ts';

export const DEFAULT_DENSE_WEIGHT = { local: 0, remote: 0.5 } as const;

export type SearchConfig = Pick<
  Config,
  'SEARCH_LEXICAL_WEIGHT' | 'SEARCH_DENSE_WEIGHT' | 'SEARCH_CANDIDATES' | 'BM25_K1' | 'BM25_B'
>;

export function searchSettings(
  config: SearchConfig,
  embedderKind: 'local' | 'remote',
): { weights: SearchWeights; bm25: Bm25Parameters; candidates: number } {
  return {
    weights: {
      lexical: config.SEARCH_LEXICAL_WEIGHT,
      dense: config.SEARCH_DENSE_WEIGHT ?? DEFAULT_DENSE_WEIGHT[embedderKind],
    },
    bm25: { k1: config.BM25_K1, b: config.BM25_B },
    candidates: config.SEARCH_CANDIDATES,
  };
}

/**
 * Whether the dense ranking takes part in the search. The composition root stores vectors in the search index only
 * then (createChunksProjector's storeVectors): with a weight of 0 they would cost HNSW inserts and change no ranking.
 */
export const usesDenseRanking = (weights: SearchWeights): boolean => weights.dense > 0;
