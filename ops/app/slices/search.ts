/**
 * Search: the chunks projection (the search index: texts, BM25 postings, vectors) and the search query. It provides
 * the embedder and the search settings, so that the ingestion pipeline embeds with the same model and sizes its
 * batches for the same ranking, and the search itself, which the chat slice's saga retrieves with.
 */
import { createEmbedder } from '../../../command-side/ingestion/embedding/create-embedder.ts';
import type { Embedder } from '../../../command-side/ingestion/embedding/embedder.ts';
import { searchSchema } from '../../../contracts/graphql/search.ts';
import { createChunksProjector } from '../../../projections/chunks/projector.ts';
import { createSearchResolvers } from '../../../query-side/search/resolvers.ts';
import { lexicalOnly, usesDenseRanking } from '../../../query-side/search/search-options.ts';
import { createChunkSearch, type ChunkSearch } from '../../../query-side/search/search.ts';
import type { Config } from '../../config/config.ts';
import { embedderOptionsOf, searchSettingsOf } from '../settings.ts';
import type { Slice } from '../slice.ts';

interface SearchSetup {
  /** The one embedder of the process: documents are embedded with the model queries are. */
  embedder: Embedder;
  settings: ReturnType<typeof searchSettingsOf>;
}

export interface SearchSliceProvides extends SearchSetup {
  /** The hybrid search the API serves, also the retrieval of the billing saga. */
  search: ChunkSearch;
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
    const search = createChunkSearch({ sql: deps.searchIndex, embedder: setup.embedder, ...setup.settings, weights });
    return { resolvers: [createSearchResolvers({ search, readModels: deps.readModels })], provides: { ...setup, search } };
  },
};
