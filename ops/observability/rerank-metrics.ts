/**
 * The search's rerank stage for Prometheus (query-side/search/rerank.ts): how long rerank requests take, by outcome,
 * and how many searches served the hybrid order because the reranker failed, by reason. Registered only where
 * RERANK_BASE_URL is set, in every process that searches (the api for Query.search, the saga for retrieval): each
 * search happens in one process, so sums over processes are right.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { FALLBACK_REASONS, type RerankObserver } from '../../query-side/search/rerank.ts';

export function rerankMetrics(registry: Registry): RerankObserver {
  const duration = new Histogram({
    name: 'search_rerank_duration_seconds',
    help: 'Rerank requests of the search, by outcome (reranked, or the reason the hybrid order was served)',
    labelNames: ['outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'search_rerank_fallbacks_total',
    help: 'Searches that served the hybrid order because the reranker failed, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // Every reason at 0 from the start, so rate() and alerts see a series before the first failure.
  for (const reason of FALLBACK_REASONS) fallbacks.inc({ reason }, 0);
  return {
    reranked: (seconds) => duration.observe({ outcome: 'reranked' }, seconds),
    fellBack(reason, _error, seconds) {
      duration.observe({ outcome: reason }, seconds);
      fallbacks.inc({ reason });
    },
  };
}
