/**
 * The rerank stage against a real local HTTP server speaking the rerank protocol (rerank-server.testing.ts), over a
 * hybrid search that returns fixed hits: the reranker's order and scores when it answers, the hybrid's when it is
 * slow, fails or answers what does not fit, and nothing at all changed without a reranker.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRerankClient, type RerankFailureReason } from './rerank-client.ts';
import { startRerankServer, type Misbehaviour, type RerankServer } from './rerank-server.testing.ts';
import { withRerank, type FallbackReason, type RerankObserver } from './rerank.ts';
import type { ChunkSearch, SearchHit } from './search.ts';

const hit = (n: number, headingPath: string[] = []): SearchHit => ({
  chunkId: `doc:1:${n}`,
  documentId: 'doc',
  revision: 1,
  documentName: 'manual.md',
  headingPath,
  text: `chunk ${n} about boilers`,
  score: 1 - n / 10,
});
/** The hybrid ranking: chunk 0 best; chunk 1 has headings. */
const HYBRID = [hit(0), hit(1, ['Boiler care', 'Service']), hit(2), hit(3), hit(4), hit(5)];

/** The server's rule: the reverse of the order the documents came in (the hybrid's worst candidate first). */
const reverse = (_query: string, documents: readonly string[]) => documents.map((_, index) => index);

let server: RerankServer;
let hybridCalls: number[] = [];
const hybrid: ChunkSearch = async (_knowledgeBaseId, _query, limit) => {
  hybridCalls.push(limit);
  return HYBRID.slice(0, limit);
};

interface Observed {
  reranked: number;
  fellBack: Array<{ reason: FallbackReason; message: string }>;
}
function observing(): { observer: RerankObserver; observed: Observed } {
  const observed: Observed = { reranked: 0, fellBack: [] };
  return {
    observed,
    observer: {
      reranked: () => observed.reranked++,
      fellBack: (reason, error) => observed.fellBack.push({ reason, message: error.message }),
    },
  };
}

function rerankedSearch(options: { candidates?: number; timeoutMs?: number; apiKey?: string; baseUrl?: string } = {}) {
  const { observer, observed } = observing();
  const reranker = createRerankClient({
    baseUrl: options.baseUrl ?? server.baseUrl,
    apiKey: options.apiKey,
    model: 'test-reranker',
    timeoutMs: options.timeoutMs ?? 2000,
  });
  const search = withRerank(hybrid, { reranker, candidates: options.candidates ?? 6, observer });
  return { search, observed };
}

const ids = (hits: readonly SearchHit[]) => hits.map((h) => h.chunkId);

beforeAll(async () => {
  server = await startRerankServer(reverse);
});

afterEach(() => {
  server.misbehave(undefined);
  server.requests.length = 0;
  hybridCalls = [];
});

afterAll(async () => {
  await server?.close();
});

describe('rerank stage', () => {
  it("serves the reranker's order and relevance scores, the best limit of the candidates", async () => {
    const { search, observed } = rerankedSearch();
    const hits = await search('kb', 'boiler service', 3);
    // Reverse of the 6 candidates, best 3: chunks 5, 4, 3, scored 5, 4, 3 by the rule.
    expect(ids(hits)).toEqual(['doc:1:5', 'doc:1:4', 'doc:1:3']);
    expect(hits.map((h) => h.score)).toEqual([5, 4, 3]);
    expect(hits[0]).toEqual({ ...HYBRID[5], score: 5 });
    expect(observed).toEqual({ reranked: 1, fellBack: [] });
  });

  it('sends the model, the query, the candidates (headings above the text) and top_n, with the key as Bearer', async () => {
    const { search } = rerankedSearch({ apiKey: 'rk-secret', candidates: 4 });
    await search('kb', 'How often is the boiler serviced?', 2);
    expect(hybridCalls).toEqual([4]);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.authorization).toBe('Bearer rk-secret');
    expect(request!.contentType).toBe('application/json');
    expect(request!.body).toEqual({
      model: 'test-reranker',
      query: 'How often is the boiler serviced?',
      documents: ['chunk 0 about boilers', 'Boiler care > Service\n\nchunk 1 about boilers', 'chunk 2 about boilers', 'chunk 3 about boilers'],
      top_n: 2,
    });
  });

  it('sends no Authorization without a key, and at least the limit asked for as candidates', async () => {
    const { search } = rerankedSearch({ candidates: 2 });
    const hits = await search('kb', 'boiler', 5);
    expect(hybridCalls).toEqual([5]);
    expect(server.requests[0]!.authorization).toBeUndefined();
    expect(server.requests[0]!.body.top_n).toBe(5);
    expect(ids(hits)).toEqual(['doc:1:4', 'doc:1:3', 'doc:1:2', 'doc:1:1', 'doc:1:0']);
  });

  it('asks for no more than the candidates there are, and nothing when the hybrid found nothing', async () => {
    const { search, observed } = rerankedSearch({ candidates: 20 });
    const hits = await search('kb', 'boiler', 10);
    expect(server.requests[0]!.body).toMatchObject({ top_n: 6 });
    expect(ids(hits)).toEqual(ids([...HYBRID].reverse()));
    const none = withRerank(async () => [], { reranker: createRerankClient({ baseUrl: server.baseUrl, model: 'm', timeoutMs: 1000 }), candidates: 20 });
    expect(await none('kb', 'boiler', 5)).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(observed.reranked).toBe(1);
  });

  it('falls back to the hybrid order within the timeout when the server answers too late', async () => {
    server.misbehave({ delayMs: 5000 });
    const { search, observed } = rerankedSearch({ timeoutMs: 300 });
    const started = performance.now();
    const hits = await search('kb', 'boiler', 3);
    const elapsed = performance.now() - started;
    expect(hits).toEqual(HYBRID.slice(0, 3));
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1000);
    expect(observed.fellBack).toEqual([{ reason: 'timeout', message: 'rerank server gave no complete answer within 300 ms' }]);
    expect(observed.reranked).toBe(0);
  });

  it.each<[string, Misbehaviour, RerankFailureReason, RegExp]>([
    ['an HTTP 500', { status: 500 }, 'http_status', /HTTP 500/],
    ['an HTTP 401', { status: 401 }, 'http_status', /HTTP 401/],
    ['malformed JSON', { body: '{"results": [{"index": 0,' }, 'invalid_response', /not JSON/],
    ['another shape', { body: '{"data": [{"index": 0, "score": 1}]}' }, 'invalid_response', /results/],
    ['a non-integer index', { body: '{"results": [{"index": 0.5, "relevance_score": 1}]}' }, 'invalid_response', /index/],
    ['an index out of range', { body: rankedBody([[6, 0.9], [0, 0.5], [1, 0.1]]) }, 'invalid_response', /document 6 of 6/],
    ['a document twice', { body: rankedBody([[2, 0.9], [2, 0.5], [1, 0.1]]) }, 'invalid_response', /document 2 twice/],
    ['fewer results than top_n', { body: rankedBody([[2, 0.9], [1, 0.5]]) }, 'invalid_response', /ranks 2 documents, 3/],
  ])('falls back to the hybrid order on %s', async (_what, how, reason, message) => {
    server.misbehave(how);
    const { search, observed } = rerankedSearch();
    expect(await search('kb', 'boiler', 3)).toEqual(HYBRID.slice(0, 3));
    expect(observed.fellBack).toHaveLength(1);
    expect(observed.fellBack[0]!.reason).toBe(reason);
    expect(observed.fellBack[0]!.message).toMatch(message);
  });

  it('falls back when nothing listens at the address', async () => {
    const gone = await startRerankServer(reverse);
    const baseUrl = gone.baseUrl;
    await gone.close();
    const { search, observed } = rerankedSearch({ baseUrl });
    expect(await search('kb', 'boiler', 2)).toEqual(HYBRID.slice(0, 2));
    expect(observed.fellBack.map((f) => f.reason)).toEqual(['unreachable']);
  });

  it("orders an answer by its scores whatever its order, equal scores in the hybrid's order", async () => {
    server.misbehave({ body: rankedBody([[3, 0.2], [5, 0.9], [1, 0.2], [0, 0.7]]) });
    const { search } = rerankedSearch();
    const hits = await search('kb', 'boiler', 4);
    expect(ids(hits)).toEqual(['doc:1:5', 'doc:1:0', 'doc:1:1', 'doc:1:3']);
    expect(hits.map((h) => h.score)).toEqual([0.9, 0.7, 0.2, 0.2]);
  });

  it('stops waiting when the caller gives up, and serves nothing then', async () => {
    server.misbehave({ delayMs: 5000 });
    const { search, observed } = rerankedSearch({ timeoutMs: 4000 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('turn stopped')), 100);
    const started = performance.now();
    await expect(search('kb', 'boiler', 3, { signal: abort.signal })).rejects.toThrow('turn stopped');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(observed).toEqual({ reranked: 0, fellBack: [] });
  });

  it('refuses a bad limit before searching', async () => {
    const { search } = rerankedSearch();
    await expect(search('kb', 'boiler', 0)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(search('kb', 'boiler', 51)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(hybridCalls).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it('without a reranker, is the hybrid search itself: same function, no request', async () => {
    expect(withRerank(hybrid, undefined)).toBe(hybrid);
    expect(await withRerank(hybrid, undefined)('kb', 'boiler', 3)).toEqual(HYBRID.slice(0, 3));
    expect(server.requests).toEqual([]);
  });
});

function rankedBody(results: Array<[number, number]>): string {
  return JSON.stringify({ results: results.map(([index, score]) => ({ index, relevance_score: score })) });
}
