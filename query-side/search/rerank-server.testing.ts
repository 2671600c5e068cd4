/**
 * A local HTTP server speaking the rerank protocol of Jina, Cohere, Xinference and vLLM (test code): `POST /v1/rerank`
 * with `{ model, query, documents: string[], top_n }`, answered `{ model, results: [{ index, relevance_score,
 * document: { text } }], usage }`, the best `top_n` first (equal scores in the request's order). The scores come from
 * the rule passed in, so a test knows the order to expect. It records every request (body and Authorization header)
 * and can be told to misbehave: answer late, with an HTTP error status, or with a body of the test's choosing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A relevance score per document, in the request's order. */
export type RerankRule = (query: string, documents: readonly string[]) => number[];

export type Misbehaviour =
  /** Answers correctly, after this long. */
  | { delayMs: number }
  /** Answers this status with an error body. */
  | { status: number }
  /** Answers 200 with this body as it is. */
  | { body: string };

export interface RecordedRerankRequest {
  body: { model: unknown; query: unknown; documents: unknown; top_n: unknown };
  authorization: string | undefined;
  contentType: string | undefined;
}

export interface RerankServer {
  /** The server's root, e.g. http://127.0.0.1:41234 (what RERANK_BASE_URL takes; requests go to /v1/rerank). */
  baseUrl: string;
  /** Every request, unless started with `record: false` (a bench sends thousands). */
  readonly requests: RecordedRerankRequest[];
  /** Requests answered with a ranking, and the documents they ranked. */
  readonly stats: { requests: number; documents: number };
  /** Answers with `how` from now on; undefined: correctly again. */
  misbehave(how: Misbehaviour | undefined): void;
  close(): Promise<void>;
}

export const RERANK_PATH = '/v1/rerank';

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

export async function startRerankServer(rule: RerankRule, options: { record?: boolean } = {}): Promise<RerankServer> {
  const requests: RecordedRerankRequest[] = [];
  const stats = { requests: 0, documents: 0 };
  const timers = new Set<NodeJS.Timeout>();
  let misbehaviour: Misbehaviour | undefined;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST' || request.url !== RERANK_PATH) return reply(response, 404, { detail: 'Not Found' });
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    let body: RecordedRerankRequest['body'];
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8')) as RecordedRerankRequest['body'];
    } catch {
      return reply(response, 400, { detail: 'body is not JSON' });
    }
    if (options.record !== false) requests.push({ body, authorization: request.headers.authorization, contentType: request.headers['content-type'] });
    const how = misbehaviour;
    if (how && 'status' in how) return reply(response, how.status, { detail: `failing with ${how.status} as told` });
    if (how && 'body' in how) return reply(response, 200, how.body);
    const { query, documents, top_n: topN } = body;
    if (typeof query !== 'string' || !isStringArray(documents) || typeof body.model !== 'string') {
      return reply(response, 400, { detail: 'model and query must be strings, documents an array of strings' });
    }
    if (topN !== undefined && (!Number.isInteger(topN) || (topN as number) < 1)) return reply(response, 400, { detail: 'bad top_n' });
    const scores = rule(query, documents);
    const results = documents
      .map((text, index) => ({ index, relevance_score: scores[index]!, document: { text } }))
      .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
      .slice(0, (topN as number | undefined) ?? documents.length);
    const answer = { model: body.model, results, usage: { total_tokens: documents.join(' ').length } };
    stats.requests++;
    stats.documents += documents.length;
    if (how && 'delayMs' in how) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        reply(response, 200, answer);
      }, how.delayMs);
      timers.add(timer);
      return;
    }
    reply(response, 200, answer);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => reply(response, 500, { detail: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stats,
    misbehave(how) {
      misbehaviour = how;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
