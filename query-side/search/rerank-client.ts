/**
 * A client of the rerank protocol that Jina, Cohere, Xinference and vLLM serve: `POST <endpoint>` with
 * `{ model, query, documents: string[], top_n }` (and `Authorization: Bearer <key>` when there is a key), answered
 * `{ results: [{ index, relevance_score }, …] }`. The endpoint comes from the base URL (rerankEndpoint). One request
 * per call, bounded by `timeoutMs` from start to the last byte; every way it can go wrong is a RerankError with a
 * reason, never a partial answer: the caller (rerank.ts) then keeps the order it had. No retries: a retry would spend
 * the same time budget, and the fallback costs nothing but the reordering.
 */
import { z } from 'zod';

export const RERANK_FAILURE_REASONS = ['timeout', 'http_status', 'invalid_response', 'unreachable'] as const;
export type RerankFailureReason = (typeof RERANK_FAILURE_REASONS)[number];

export class RerankError extends Error {
  override name = 'RerankError';

  constructor(
    readonly reason: RerankFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface RerankClientOptions {
  /** e.g. http://xinference:9997, https://api.jina.ai/v1 or a full …/rerank address (rerankEndpoint). */
  baseUrl: string;
  apiKey?: string | undefined;
  model: string;
  /** The whole request, connection to last byte of the answer. */
  timeoutMs: number;
}

export interface RerankRequest {
  query: string;
  documents: readonly string[];
  /** How many of the best documents to return (capped at the number of documents). */
  topN: number;
  /** The caller giving up: the request is cancelled and the caller's reason thrown (not a RerankError). */
  signal?: AbortSignal | undefined;
}

export interface RerankedDocument {
  /** Index into the request's documents. */
  index: number;
  relevanceScore: number;
}

export interface Reranker {
  readonly endpoint: string;
  readonly model: string;
  /** The best `topN` documents, best first (equal scores keep the request's order). */
  rerank(request: RerankRequest): Promise<RerankedDocument[]>;
}

/**
 * Where the rerank requests go: the base URL itself when its path already ends in `/rerank`; `<base>/rerank` when
 * it ends in an API version (`/v1`, `/v2`: the form OPENAI_BASE_URL takes); `<base>/v1/rerank` otherwise (a
 * server's root, as Xinference and vLLM are usually given).
 */
export function rerankEndpoint(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/rerank$/.test(path)) url.pathname = path;
  else if (/\/v\d+$/.test(path)) url.pathname = `${path}/rerank`;
  else url.pathname = `${path}/v1/rerank`;
  return url.toString();
}

// Servers add fields (Jina and Cohere the document, Cohere an id and meta): only these are read.
const responseSchema = z.object({
  results: z.array(z.object({ index: z.number().int().nonnegative(), relevance_score: z.number() })),
});

const MAX_ERROR_BODY_CHARS = 200;

export function createRerankClient(options: RerankClientOptions): Reranker {
  const endpoint = rerankEndpoint(options.baseUrl);
  const { model, apiKey, timeoutMs } = options;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;

  async function post(request: RerankRequest, signal: AbortSignal): Promise<string> {
    const topN = Math.min(request.topN, request.documents.length);
    const body = JSON.stringify({ model, query: request.query, documents: request.documents, top_n: topN });
    let response: Response;
    let text: string;
    try {
      response = await fetch(endpoint, { method: 'POST', headers, body, signal });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw error;
      throw new RerankError('unreachable', `rerank server ${endpoint} unreachable (${causeOf(error)})`, { cause: error });
    }
    if (!response.ok) {
      throw new RerankError('http_status', `rerank server answered HTTP ${response.status}: ${text.slice(0, MAX_ERROR_BODY_CHARS)}`);
    }
    return text;
  }

  return {
    endpoint,
    model,
    async rerank(request) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
      let text: string;
      try {
        text = await post(request, signal);
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        if (timeout.aborted) {
          throw new RerankError('timeout', `rerank server gave no complete answer within ${timeoutMs} ms`, { cause: error });
        }
        throw error;
      }
      return rankingOf(text, request);
    },
  };
}

/** The answer checked against the request: every index one of its documents, each once, at least top_n of them. */
function rankingOf(text: string, request: RerankRequest): RerankedDocument[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RerankError('invalid_response', `rerank answer is not JSON: ${text.slice(0, MAX_ERROR_BODY_CHARS)}`);
  }
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) {
    throw new RerankError('invalid_response', `rerank answer is not {results: [{index, relevance_score}]}: ${z.prettifyError(parsed.error)}`);
  }
  const count = request.documents.length;
  const seen = new Set<number>();
  for (const { index } of parsed.data.results) {
    if (index >= count) throw new RerankError('invalid_response', `rerank answer names document ${index} of ${count}`);
    if (seen.has(index)) throw new RerankError('invalid_response', `rerank answer names document ${index} twice`);
    seen.add(index);
  }
  const topN = Math.min(request.topN, count);
  if (seen.size < topN) {
    throw new RerankError('invalid_response', `rerank answer ranks ${seen.size} documents, ${topN} were asked for`);
  }
  return parsed.data.results
    .map(({ index, relevance_score: relevanceScore }) => ({ index, relevanceScore }))
    .sort((a, b) => b.relevanceScore - a.relevanceScore || a.index - b.index)
    .slice(0, topN);
}

const causeOf = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
};
