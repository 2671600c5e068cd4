/**
 * The rerank stage through the whole app, configured as a deployment would (RERANK_* variables), against a real
 * local rerank server: Query.search and the billing saga's retrieval serve its order alike (one search), its
 * failures serve the hybrid order and show in /metrics. (Without RERANK_BASE_URL there is no stage at all: the search
 * is the hybrid function itself, rerank.int.spec.ts; search.e2e.spec.ts's app exports no rerank metric.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentEnd, uploadFile } from '../../ops/testing/document-uploads.ts';
import { sampleValue } from '../../ops/testing/prometheus-text.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { ask, createKnowledgeBase, finishedTurn, ok } from '../resolvers/chat.testing.ts';
import { register, type Session } from '../resolvers/identity.testing.ts';
import { startRerankServer, type RerankServer } from './rerank-server.testing.ts';

const SEARCH = `query($kb: ID!, $q: String!, $limit: Int) {
  search(knowledgeBaseId: $kb, query: $q, limit: $limit) { chunkId headingPath text score } }`;
const RETRIEVED = `query($id: ID!) { turn(id: $id) { trail { retrieved { n chunkId score } } } }`;

// One chunk per section, every one about the boiler.
const MANUAL = `# Boiler care

The boiler must be serviced every twelve months by a certified technician.

# Boiler filters

Replace the boiler air filter when the warning light turns orange.

# Boiler pressure

The boiler pressure should read between one and two bar when the boiler is cold.

# Noises

A boiler that knocks may have air in its pipes.
`;
const QUESTION = 'What should I know about my boiler?';

/** The server's rule: the reverse of the order the documents came in (the hybrid's last candidate first). */
const reverse = (_query: string, documents: readonly string[]) => documents.map((_, index) => index);

interface Hit {
  chunkId: string;
  headingPath: string[];
  text: string;
  score: number;
}

describe('search with a reranker configured', () => {
  let server: RerankServer;
  let app: TestApp;
  let alice: Session;
  let kb: string;
  let hybridOrder: string[];

  const search = async (q: string, limit = 4) =>
    (await ok<{ search: Hit[] }>(app, alice.accessToken, SEARCH, { kb, q, limit })).search;
  const metrics = async () => (await fetch(`${app.url}/metrics`)).text();

  beforeAll(async () => {
    server = await startRerankServer(reverse);
    app = await startTestApp({
      env: {
        RERANK_BASE_URL: server.baseUrl,
        RERANK_API_KEY: 'rk-test',
        RERANK_MODEL: 'test-reranker',
        RERANK_TIMEOUT_MS: '800',
      },
    });
    alice = await register(app, 'alice@example.com');
    kb = await createKnowledgeBase(app, alice.accessToken, 'Manuals');
    const documentId = await uploadFile(app, alice.accessToken, kb, 'manual.md', new TextEncoder().encode(MANUAL));
    expect((await documentEnd(app, alice.accessToken, documentId, 120_000)).status).toBe('indexed');
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it('serves the hybrid order when the reranker fails, and counts the failure', async () => {
    server.misbehave({ status: 503 });
    const hits = await search(QUESTION);
    expect(hits).toHaveLength(4);
    hybridOrder = hits.map((hit) => hit.chunkId);
    expect(hits[0]!.score).toBe(1); // BM25 scaled to the best: the hybrid's own score
    const text = await metrics();
    expect(sampleValue(text, 'search_rerank_fallbacks_total', { reason: 'http_status' })).toBe(1);
    expect(sampleValue(text, 'search_rerank_fallbacks_total', { reason: 'timeout' })).toBe(0);
  });

  it("serves the reranker's order to Query.search and to a question's retrieval alike", async () => {
    server.misbehave(undefined);
    server.requests.length = 0;
    const hits = await search(QUESTION);
    expect(hits.map((hit) => hit.chunkId)).toEqual([...hybridOrder].reverse());
    expect(hits.map((hit) => hit.score)).toEqual([3, 2, 1, 0]);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.authorization).toBe('Bearer rk-test');
    expect(request!.body).toMatchObject({ model: 'test-reranker', query: QUESTION, top_n: 4 });
    // The candidates in hybrid order, each with its heading above its text.
    const reversedHits = [...hits].reverse();
    expect(request!.body.documents).toEqual(reversedHits.map((hit) => `${hit.headingPath.join(' > ')}\n\n${hit.text}`));

    const turn = await finishedTurn(app, alice.accessToken, (await ask(app, alice.accessToken, { kb, question: QUESTION })).id);
    expect(turn.status).toBe('completed');
    const { retrieved } = (await ok<{ turn: { trail: { retrieved: Array<{ n: number; chunkId: string; score: number }> } } }>(
      app,
      alice.accessToken,
      RETRIEVED,
      { id: turn.id },
    )).turn.trail;
    expect(retrieved.map((chunk) => chunk.chunkId)).toEqual([...hybridOrder].reverse());
    expect(retrieved.map((chunk) => chunk.score)).toEqual([3, 2, 1, 0]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body).toMatchObject({ query: QUESTION, documents: request!.body.documents, top_n: 4 });
    expect(sampleValue(await metrics(), 'search_rerank_duration_seconds_count', { outcome: 'reranked' })).toBe(2);
  });

  it('gives a reranker slower than RERANK_TIMEOUT_MS up and serves the hybrid order', async () => {
    server.misbehave({ delayMs: 10_000 });
    const started = performance.now();
    const hits = await search(QUESTION);
    expect(performance.now() - started).toBeLessThan(800 + 1000);
    expect(hits.map((hit) => hit.chunkId)).toEqual(hybridOrder);
    expect(sampleValue(await metrics(), 'search_rerank_fallbacks_total', { reason: 'timeout' })).toBe(1);
    server.misbehave(undefined);
  });
});
