/**
 * Search settings. The dense weight, when not set, follows the embedder: 0 for the local hashed embedder (measured:
 * giving it weight ranks below BM25 alone), 0.5 for a real embedding model.
 */
import type { SearchWeights } from './fusion.ts';
import type { Bm25Parameters } from './bm25.ts';

export const DEFAULT_DENSE_WEIGHT = { local: 0, remote: 0.5 } as const;

/** What a deployment configures (SEARCH_LEXICAL_WEIGHT, SEARCH_DENSE_WEIGHT, SEARCH_CANDIDATES, BM25_K1, BM25_B). */
export interface SearchOptions {
  lexicalWeight: number;
  /** Unset: DEFAULT_DENSE_WEIGHT of the embedder's kind. */
  denseWeight?: number | undefined;
  /** Candidates each retriever gives the fusion. */
  candidates: number;
  bm25: Bm25Parameters;
}

export function searchSettings(
  options: SearchOptions,
  embedderKind: 'local' | 'remote',
): { weights: SearchWeights; bm25: Bm25Parameters; candidates: number } {
  return {
    weights: {
      lexical: options.lexicalWeight,
      dense: options.denseWeight ?? DEFAULT_DENSE_WEIGHT[embedderKind],
    },
    bm25: { ...options.bm25 },
    candidates: options.candidates,
  };
}

/**
 * Whether the dense ranking takes part in the search. The composition root stores vectors in the search index only
 * then (createChunksProjector's storeVectors): with a weight of 0 they would cost HNSW inserts and change no ranking.
 */
export const usesDenseRanking = (weights: SearchWeights): boolean => weights.dense > 0;

/**
 * The weights a search index without vectors (no pgvector) can serve: BM25 alone. A configuration that gave BM25
 * no weight (dense only) still gets it, at 1: lexical results are better than none.
 */
export const lexicalOnly = (weights: SearchWeights): SearchWeights => ({
  lexical: weights.lexical > 0 ? weights.lexical : 1,
  dense: 0,
});
