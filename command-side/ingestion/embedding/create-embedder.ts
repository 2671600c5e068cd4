/**
 * The embedder the deployment asks for: the OpenAI-compatible endpoint when a base URL or an API key is given,
 * otherwise the local hashed-feature embedder. Both give `dimensions`-long vectors.
 */
import type { Embedder } from './embedder.ts';
import { createLocalEmbedder } from './local-embedder.ts';
import { createOpenAiEmbedder } from './openai-embedder.ts';

/** Where the openai client goes when no base URL is given (also the chat model's default). */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface EmbedderOptions {
  /** OpenAI-compatible API base URL (OPENAI_BASE_URL). */
  baseUrl?: string | undefined;
  /** OPENAI_API_KEY. */
  apiKey?: string | undefined;
  model: string;
  dimensions: number;
  /** Texts per embeddings request. */
  batchSize: number;
  /** Retries (with backoff) of a request on 429/5xx. */
  maxRetries: number;
}

export function createEmbedder(options: EmbedderOptions): Embedder {
  if (!options.apiKey && !options.baseUrl) {
    return createLocalEmbedder({ dimensions: options.dimensions });
  }
  return createOpenAiEmbedder({
    baseURL: options.baseUrl ?? OPENAI_DEFAULT_BASE_URL,
    // Local servers (vLLM, Ollama) take any key; the client insists on one.
    apiKey: options.apiKey ?? 'none',
    model: options.model,
    dimensions: options.dimensions,
    batchSize: options.batchSize,
    maxRetries: options.maxRetries,
  });
}
