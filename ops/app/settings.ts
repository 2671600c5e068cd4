/**
 * The configuration mapped to the plain options of parts that several slices (and the benchmarks) share. Only the
 * composition root reads Config: the parts themselves take options and know nothing of environment names.
 */
import { createEmbedder, type EmbedderOptions } from '../../command-side/ingestion/embedding/create-embedder.ts';
import type { Quotas } from '../../query-side/quotas/quotas.ts';
import type { RerankClientOptions } from '../../query-side/search/rerank-client.ts';
import { searchSettings } from '../../query-side/search/search-options.ts';
import type { Config } from '../config/config.ts';

export const embedderOptionsOf = (config: Config): EmbedderOptions => ({
  baseUrl: config.OPENAI_BASE_URL,
  apiKey: config.OPENAI_API_KEY,
  model: config.EMBEDDING_MODEL,
  dimensions: config.EMBEDDING_DIMENSIONS,
  batchSize: config.EMBEDDING_BATCH_SIZE,
  maxRetries: config.EMBEDDING_MAX_RETRIES,
});

/** The search's weights, BM25 parameters and candidates; the dense weight's default follows the embedder's kind. */
export const searchSettingsOf = (config: Config, embedderKind: 'local' | 'remote') =>
  searchSettings(
    {
      lexicalWeight: config.SEARCH_LEXICAL_WEIGHT,
      denseWeight: config.SEARCH_DENSE_WEIGHT,
      candidates: config.SEARCH_CANDIDATES,
      bm25: { k1: config.BM25_K1, b: config.BM25_B },
    },
    embedderKind,
  );

/** The dense weight the configuration asks for, the embedder's default included (before any database says no). */
export const configuredDenseWeight = (config: Config): number =>
  searchSettingsOf(config, createEmbedder(embedderOptionsOf(config)).kind).weights.dense;

/** The rerank stage's server and candidates; undefined without RERANK_BASE_URL (search is the hybrid alone). */
export const rerankOptionsOf = (config: Config): (RerankClientOptions & { candidates: number }) | undefined =>
  config.RERANK_BASE_URL === undefined
    ? undefined
    : {
        baseUrl: config.RERANK_BASE_URL,
        apiKey: config.RERANK_API_KEY,
        model: config.RERANK_MODEL,
        timeoutMs: config.RERANK_TIMEOUT_MS,
        candidates: config.RERANK_CANDIDATES,
      };

export const quotasOf = (config: Config): Quotas => ({
  documentsInFlight: config.QUOTA_DOCUMENTS_IN_FLIGHT,
  bytesStored: config.QUOTA_BYTES_STORED,
  knowledgeBases: config.QUOTA_KNOWLEDGE_BASES,
  apiKeys: config.QUOTA_API_KEYS,
});
