/**
 * The embedder the configuration asks for: the OpenAI-compatible endpoint when OPENAI_BASE_URL or OPENAI_API_KEY
 * is set, otherwise the local hashed-feature embedder. Both give EMBEDDING_DIMENSIONS-long vectors.
 */
import type { Config } from '../../../ops/config/config.ts';
import type { Embedder } from './embedder.ts';
import { createLocalEmbedder } from './local-embedder.ts';
import { createOpenAiEmbedder } from './openai-embedder.ts';

const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export type EmbedderConfig = Pick<
  Config,
  | 'OPENAI_BASE_URL'
  | 'OPENAI_API_KEY'
  | 'EMBEDDING_MODEL'
  | 'EMBEDDING_DIMENSIONS'
  | 'EMBEDDING_BATCH_SIZE'
  | 'EMBEDDING_MAX_RETRIES'
>;

export function createEmbedder(config: EmbedderConfig): Embedder {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) {
    return createLocalEmbedder({ dimensions: config.EMBEDDING_DIMENSIONS });
  }
  return createOpenAiEmbedder({
    baseURL: config.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL,
    // Local servers (vLLM, Ollama) take any key; the client insists on one.
    apiKey: config.OPENAI_API_KEY ?? 'none',
    model: config.EMBEDDING_MODEL,
    dimensions: config.EMBEDDING_DIMENSIONS,
    batchSize: config.EMBEDDING_BATCH_SIZE,
    maxRetries: config.EMBEDDING_MAX_RETRIES,
  });
}
