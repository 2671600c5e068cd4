/**
 * Embeddings from any OpenAI-compatible server (OpenAI, DashScope, vLLM, Ollama) through the `openai` client.
 * Texts go in batches of `batchSize`; a batch answered with 429, 5xx or a connection error is retried with
 * exponential backoff and jitter (honouring Retry-After, capped), at most `maxRetries` times, then the embed fails
 * with a DomainError a person can read. The client's own retries are off so that this is the only retry policy.
 */
import OpenAI, { APIConnectionError, APIError } from 'openai';
import { DomainError } from '../../../contracts/errors.ts';
import { retry, type Backoff } from '../../retry.ts';
import type { Embedder } from './embedder.ts';

export interface OpenAiEmbedderOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  dimensions: number;
  batchSize?: number;
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  /** Injected so tests need not wait out real backoff. */
  sleep?: (ms: number) => Promise<void>;
}

const isRetryable = (error: unknown): boolean =>
  error instanceof APIConnectionError ||
  (error instanceof APIError && error.status !== undefined && (error.status === 429 || error.status >= 500));

/** Milliseconds the server asked us to wait, if it said. */
function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof APIError) || !error.headers) return undefined;
  const ms = Number(error.headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const seconds = Number(error.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

const describe = (error: unknown): string =>
  error instanceof APIError && error.status !== undefined
    ? `HTTP ${error.status}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);

export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const { model, dimensions } = options;
  const batchSize = options.batchSize ?? 10;
  const maxRetries = options.maxRetries ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 8000;
  const backoff: Backoff = { firstDelayMs: baseDelayMs, maxDelayMs, jitter: 0.5 };
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 60_000,
  });

  async function requestBatch(batch: readonly string[]): Promise<Float32Array[]> {
    const response = await client.embeddings.create({
      model,
      input: [...batch],
      dimensions,
      // Plain floats: not every compatible server speaks the client's default base64.
      encoding_format: 'float',
    });
    const rows = [...response.data].sort((a, b) => a.index - b.index);
    if (rows.length !== batch.length) {
      throw new DomainError('UNAVAILABLE', `embedding server returned ${rows.length} vectors for ${batch.length} texts`);
    }
    return rows.map((row) => {
      if (row.embedding.length !== dimensions) {
        throw new DomainError(
          'UNAVAILABLE',
          `embedding model ${model} returned ${row.embedding.length} dimensions, configured EMBEDDING_DIMENSIONS is ${dimensions}`,
        );
      }
      return Float32Array.from(row.embedding);
    });
  }

  async function embedBatch(batch: readonly string[]): Promise<Float32Array[]> {
    try {
      return await retry(() => requestBatch(batch), {
        retries: maxRetries,
        backoff,
        shouldRetry: isRetryable,
        delayOf: retryAfterMs,
        sleep: options.sleep,
      });
    } catch (error) {
      if (isRetryable(error)) {
        throw new DomainError('UNAVAILABLE', `embedding service unavailable after ${maxRetries + 1} attempts (${describe(error)})`);
      }
      if (error instanceof DomainError) throw error;
      throw new DomainError('UNAVAILABLE', `embedding request failed (${describe(error)})`);
    }
  }

  return {
    model,
    dimensions,
    kind: 'remote',
    async embed(texts) {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await embedBatch(texts.slice(start, start + batchSize))));
      }
      return vectors;
    },
  };
}
