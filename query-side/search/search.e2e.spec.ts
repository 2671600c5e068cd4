/** Query.search through the whole app: real upload, pipeline, chunks projection, GraphQL over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unpackVectors } from '../../contracts/documents.ts';
import { documentStream } from '../../contracts/streams.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { CHUNKS_PROJECTOR } from '../../projections/chunks/projector.ts';
import { register, type Session } from '../resolvers/identity.testing.ts';
import { createKnowledgeBase, upload, waitForStatus } from '../upload/upload.testing.ts';

const SEARCH = `query($kb: ID!, $q: String!, $limit: Int) {
  search(knowledgeBaseId: $kb, query: $q, limit: $limit) { chunkId documentId documentName headingPath text score } }`;

interface Hit {
  chunkId: string;
  documentId: string;
  documentName: string;
  headingPath: string[];
  text: string;
  score: number;
}

const MANUAL = `# Boiler care

The boiler must be serviced every twelve months by a certified technician.

# Filters

Replace the air filter when the warning light on the front panel turns orange.

# 退款

我们的退款政策允许在购买后三十天内凭收据退货。
`;

describe('search over GraphQL', () => {
  let app: TestApp;
  let admin: Session;
  let alice: Session;
  let bob: Session;
  let kb: string;
  let documentId: string;

  const search = (q: string, token?: string, variables: Record<string, unknown> = {}) =>
    app.gql<{ search: Hit[] }>(SEARCH, { kb, q, ...variables }, token);

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', PARSE_MEMORY_MB: '256' } });
    admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    kb = await createKnowledgeBase(app, alice, 'Manuals');
    const { body } = await upload(app, kb, { name: 'manual.md', bytes: new TextEncoder().encode(MANUAL) }, {
      token: alice.accessToken,
    });
    documentId = body.id!;
    await waitForStatus(app, alice.accessToken, documentId, ['indexed'], 90_000);
    // App start, argon2 registrations and the pipeline: generous on a shared two-core machine.
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('finds the uploaded text for English and Chinese questions, best first, with document and score', async () => {
    const english = await search('How often should the boiler be serviced?', alice.accessToken);
    expect(english.errors).toBeUndefined();
    const [best] = english.data!.search;
    expect(best).toMatchObject({ documentId, documentName: 'manual.md', headingPath: ['Boiler care'] });
    expect(best!.text).toContain('serviced every twelve months');
    expect(best!.score).toBeGreaterThan(0);
    const chinese = await search('退款政策是什么？', alice.accessToken, { limit: 1 });
    expect(chinese.data!.search).toHaveLength(1);
    expect(chinese.data!.search[0]!.text).toContain('退款政策');
    expect(chinese.data!.search[0]!.headingPath).toEqual(['退款']);
  });

  it('computes, logs and stores no vectors when the search gives them no weight (local embedder, default weights)', async () => {
    // Once the chunks projection has every event, the ChunksEmbedded ones included.
    const head = await app.app.eventStore.headPosition();
    await app.app.runtime.waitForPosition(head, { projectors: [CHUNKS_PROJECTOR], timeoutMs: 60_000 });
    expect(await app.app.searchIndex.query(`SELECT count(*)::int AS n FROM chunks`)).toEqual([{ n: 3 }]);
    expect(await app.app.searchIndex.query(`SELECT count(*)::int AS n FROM chunk_vectors`)).toEqual([{ n: 0 }]);
    const events = await app.app.eventStore.readStream(documentStream(documentId));
    const embedded = events.filter((event) => event.type === 'ChunksEmbedded');
    // Every chunk recorded in one batch, without a vector: the log carries ids, not 1536 floats per chunk.
    expect(embedded.map((event) => event.data)).toEqual([
      expect.objectContaining({ model: 'none', dimensions: 0, vectors: '', chunkIds: expect.arrayContaining([expect.any(String)]) }),
    ]);
    expect((embedded[0]!.data.chunkIds as string[]).length).toBe(3);
    expect(events.at(-1)).toMatchObject({ type: 'DocumentIndexed', data: { chunkCount: 3, model: 'none', dimensions: 0 } });
  });

  it('has no rerank stage without RERANK_BASE_URL: no rerank metric either', async () => {
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toContain('graphql_operations_total');
    expect(metrics).not.toContain('search_rerank');
  });

  it('lets the owner and admins search, nobody else', async () => {
    expect((await search('boiler', admin.accessToken)).data!.search.length).toBeGreaterThan(0);
    expect((await search('boiler', bob.accessToken)).codes).toEqual(['FORBIDDEN']);
    expect((await search('boiler')).codes).toEqual(['UNAUTHENTICATED']);
    expect(
      (await app.gql(SEARCH, { kb: '00000000-0000-4000-8000-000000000000', q: 'boiler' }, alice.accessToken)).codes,
    ).toEqual(['NOT_FOUND']);
    expect((await search('boiler', alice.accessToken, { limit: 500 })).codes).toEqual(['BAD_USER_INPUT']);
  });
});

describe('search over GraphQL with a dense weight', () => {
  let app: TestApp;

  afterAll(async () => {
    await app?.close();
  });

  it('embeds every chunk, logs its vector and indexes it when the search ranks by vectors', async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', PARSE_MEMORY_MB: '256', SEARCH_DENSE_WEIGHT: '0.5' } });
    const alice = await register(app, 'alice@example.com');
    const kb = await createKnowledgeBase(app, alice, 'Manuals');
    const { body } = await upload(app, kb, { name: 'manual.md', bytes: new TextEncoder().encode(MANUAL) }, { token: alice.accessToken });
    await waitForStatus(app, alice.accessToken, body.id!, ['indexed'], 90_000);
    const events = await app.app.eventStore.readStream(documentStream(body.id!));
    const vectors = events.filter((event) => event.type === 'ChunksEmbedded');
    expect(vectors.length).toBeGreaterThan(0);
    for (const { data } of vectors) {
      expect(data).toMatchObject({ dimensions: 1536 });
      expect(data.model).not.toBe('none');
      expect(unpackVectors(data.vectors as string, 1536)).toHaveLength((data.chunkIds as string[]).length);
    }
    const head = await app.app.eventStore.headPosition();
    await app.app.runtime.waitForPosition(head, { projectors: [CHUNKS_PROJECTOR], timeoutMs: 60_000 });
    expect(await app.app.searchIndex.query(`SELECT count(*)::int AS n FROM chunk_vectors`)).toEqual([{ n: 3 }]);
    const hits = await app.gql<{ search: Hit[] }>(SEARCH, { kb, q: 'How often should the boiler be serviced?' }, alice.accessToken);
    expect(hits.data!.search[0]!.text).toContain('serviced every twelve months');
  }, 180_000);
});
