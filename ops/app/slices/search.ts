/**
 * Search: the chunks projection (the search index: texts, BM25 postings, vectors) and the search query. It provides
 * the embedder and the search settings, so that the ingestion pipeline embeds with the same model and sizes its
 * batches for the same ranking, and the search itself (hybrid, then the rerank stage with RERANK_BASE_URL), which the
 * chat slice's saga retrieves with.
 */
import { createEmbedder } from '../../../command-side/ingestion/embedding/create-embedder.ts';
import type { Embedder } from '../../../command-side/ingestion/embedding/embedder.ts';
import { searchSchema } from '../../../contracts/graphql/search.ts';
import { createChunksProjector } from '../../../projections/chunks/projector.ts';
import { createSearchResolvers } from '../../../query-side/search/resolvers.ts';
import { createRerankClient } from '../../../query-side/search/rerank-client.ts';
import { withRerank, type RerankStage } from '../../../query-side/search/rerank.ts';
import { lexicalOnly, usesDenseRanking } from '../../../query-side/search/search-options.ts';
import { createChunkSearch, type ChunkSearch } from '../../../query-side/search/search.ts';
import type { Config } from '../../config/config.ts';
import { rerankMetrics } from '../../observability/rerank-metrics.ts';
import { embedderOptionsOf, rerankOptionsOf, searchSettingsOf } from '../settings.ts';
import type { Slice, SliceDeps } from '../slice.ts';

interface SearchSetup {
  /** The one embedder of the process: documents are embedded with the model queries are. */
  embedder: Embedder;
  settings: ReturnType<typeof searchSettingsOf>;
}

export interface SearchSliceProvides extends SearchSetup {
  /** The search the API serves, also the retrieval of the billing saga: hybrid, then reranked when configured. */
  search: ChunkSearch;
}

/** With RERANK_BASE_URL: the rerank stage, whose fallbacks are logged and counted. Without: none. */
function rerankStageOf(deps: SliceDeps): RerankStage | undefined {
  const options = rerankOptionsOf(deps.config);
  if (!options) return undefined;
  const reranker = createRerankClient(options);
  const metrics = rerankMetrics(deps.metrics);
  const logger = deps.logger.child({ component: 'rerank' });
  logger.info({ endpoint: reranker.endpoint, model: reranker.model, candidates: options.candidates }, 'search results are reranked');
  return {
    reranker,
    candidates: options.candidates,
    observer: {
      reranked: metrics.reranked,
      fellBack(reason, error, seconds) {
        metrics.fellBack(reason, error, seconds);
        logger.warn({ err: error, reason, endpoint: reranker.endpoint }, 'rerank failed: the search serves the hybrid order');
      },
    },
  };
}

function searchSetup(config: Config): SearchSetup {
  const embedder = createEmbedder(embedderOptionsOf(config));
  return { embedder, settings: searchSettingsOf(config, embedder.kind) };
}

export const searchSlice: Slice<SearchSliceProvides> = {
  name: 'search',
  schema: searchSchema,
  projectors(config, features) {
    // Vectors are stored only when the search, built from the same settings, gives them weight, and only where the
    // search index has pgvector: without it the index is lexical (BM25) alone.
    const { settings } = searchSetup(config);
    return [
      createChunksProjector({
        dimensions: config.EMBEDDING_DIMENSIONS,
        storeVectors: usesDenseRanking(settings.weights),
        pgvector: features.searchIndexVectors.available,
      }),
    ];
  },
  create(deps) {
    const setup = searchSetup(deps.config);
    // Without pgvector the search ranks by BM25 alone (the start log and /healthz say so). The pipeline still
    // follows the configuration: vectors it computes stay in the log for when pgvector comes.
    const weights = deps.features.searchIndexVectors.available ? setup.settings.weights : lexicalOnly(setup.settings.weights);
    const hybrid = createChunkSearch({ sql: deps.searchIndex, embedder: setup.embedder, ...setup.settings, weights });
    const search = withRerank(hybrid, rerankStageOf(deps));
    return { resolvers: [createSearchResolvers({ search, readModels: deps.readModels })], provides: { ...setup, search } };
  },
};
