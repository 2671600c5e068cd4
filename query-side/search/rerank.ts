/**
 * The optional second stage of search: the hybrid ranking's best `candidates` chunks go with the query to a rerank
 * model (rerank-client.ts), and the best `limit` come back in its order, scored with its relevance scores. When the
 * reranker fails in any way (timeout, HTTP error, an answer that does not fit the request, unreachable) the search
 * serves the hybrid order and scores instead and tells the observer (the composition root logs a warning and counts
 * it for Prometheus). Without a reranker the search is the hybrid one itself. Query.search and the billing saga's
 * retrieval both get the search the composition root wraps here, so both rerank alike.
 */
import { RERANK_FAILURE_REASONS, RerankError, type Reranker } from './rerank-client.ts';
import { MAX_SEARCH_LIMIT, checkSearchRequest, type ChunkSearch, type SearchHit } from './search.ts';

/** Why a search served the hybrid order: the reranker's failure, or an error that is none of those (a bug). */
export const FALLBACK_REASONS = [...RERANK_FAILURE_REASONS, 'unexpected'] as const;
export type FallbackReason = (typeof FALLBACK_REASONS)[number];

export interface RerankObserver {
  /** The reranker's order was served; `seconds`: its request. */
  reranked(seconds: number): void;
  /** The hybrid order was served instead. */
  fellBack(reason: FallbackReason, error: Error, seconds: number): void;
}

export interface RerankStage {
  reranker: Reranker;
  /** Hybrid hits sent to the reranker (at least the limit asked for, at most MAX_SEARCH_LIMIT). */
  candidates: number;
  observer?: RerankObserver;
}

/** What the reranker reads of a chunk: its headings (which BM25 indexes too) above its text. */
export const rerankDocument = (hit: SearchHit): string =>
  hit.headingPath.length > 0 ? `${hit.headingPath.join(' > ')}\n\n${hit.text}` : hit.text;

export function withRerank(hybrid: ChunkSearch, stage: RerankStage | undefined): ChunkSearch {
  if (!stage) return hybrid;
  const { reranker, observer } = stage;
  return async (knowledgeBaseId, query, limit, call = {}) => {
    checkSearchRequest(query, limit);
    const pool = Math.min(MAX_SEARCH_LIMIT, Math.max(limit, stage.candidates));
    const hits = await hybrid(knowledgeBaseId, query, pool, call);
    if (hits.length === 0) return hits;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const ranked = await reranker.rerank({ query, documents: hits.map(rerankDocument), topN: limit, signal: call.signal });
      observer?.reranked(seconds());
      return ranked.map(({ index, relevanceScore }) => ({ ...hits[index]!, score: relevanceScore }));
    } catch (error) {
      // The caller gave up: it wants no answer, hybrid or other.
      if (call.signal?.aborted) throw error;
      const failure = error instanceof Error ? error : new Error(String(error));
      observer?.fellBack(error instanceof RerankError ? error.reason : 'unexpected', failure, seconds());
      return hits.slice(0, limit);
    }
  };
}
