/**
 * DATABASE_URL on a Postgres without pgvector (this machine's Postgres 15): the app serves lexical search alone and
 * says so in /healthz. Before, the chunks projection failed on `type "vector" does not exist` (in its log only) and
 * a document of this manual stayed at "embedding 16/188" for ever. The dense weight is set here, so that the pipeline computes
 * vectors: they stay in the log for when pgvector comes, the index holds none, and nothing waits for it.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNKS_PROJECTOR } from '../../projections/chunks/projector.ts';
import { documentEnd, uploadFile } from '../testing/document-uploads.ts';
import { fixturePath } from '../testing/fixture-files.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';

const REGISTER = `mutation { register(email: "ops@example.com", password: "correct horse battery") { accessToken } }`;
const CREATE_KB = `mutation { createKnowledgeBase(name: "Debian") { id } }`;
const SEARCH = `query($kb: ID!, $q: String!) { search(knowledgeBaseId: $kb, query: $q, limit: 3) { documentId text } }`;

interface Health {
  status: string;
  warnings: string[];
  projectors: Array<{ name: string; status: string }>;
}

describe('a search index database without pgvector', () => {
  let app: TestApp;
  let token: string;
  let kb: string;

  beforeAll(async () => {
    app = await startTestApp({ postgresReadModels: true, env: { SEARCH_DENSE_WEIGHT: '0.5' } });
    token = (await app.gql<{ register: { accessToken: string } }>(REGISTER)).data!.register.accessToken;
    kb = (await app.gql<{ createKnowledgeBase: { id: string } }>(CREATE_KB, {}, token)).data!.createKnowledgeBase.id;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('indexes a manual of ~190 chunks to the end and finds it by its words', async () => {
    const id = await uploadFile(app, token, kb, 'maint-guide.en.pdf', await readFile(fixturePath('maint-guide.en.pdf')));
    const end = await documentEnd(app, token, id, 120_000);
    expect(end).toMatchObject({ status: 'indexed', error: null });
    expect(end.chunkCount).toBeGreaterThan(150);
    const search = await app.gql<{ search: Array<{ documentId: string; text: string }> }>(SEARCH, { kb, q: 'dpkg-buildpackage' }, token);
    expect(search.errors, JSON.stringify(search.errors)).toBeUndefined();
    expect(search.data!.search.length).toBeGreaterThan(0);
    expect(search.data!.search.every((hit) => hit.documentId === id)).toBe(true);
    expect(search.data!.search[0]!.text.toLowerCase()).toContain('dpkg-buildpackage');

    // The vectors were computed and logged, the index holds none: they wait in the log for pgvector.
    const embedded = await app.app.eventStore.readAll({ filter: { eventTypes: ['ChunksEmbedded'] } });
    expect(embedded.length).toBeGreaterThan(0);
    expect(embedded.every((event) => (event.data as { dimensions: number }).dimensions === 1536)).toBe(true);
    expect(await app.app.searchIndex.query(`SELECT chunk_id FROM chunk_vectors LIMIT 1`)).toEqual([]);
  }, 180_000);

  it('/healthz stays healthy, runs the chunks projector, and warns that search is lexical only and why', async () => {
    const response = await fetch(`${app.url}/healthz`);
    const health = (await response.json()) as Health;
    expect(response.status).toBe(200);
    expect(health.status).toBe('ok');
    expect(health.projectors.find((p) => p.name === CHUNKS_PROJECTOR)?.status).toBe('running');
    expect(health.warnings).toEqual([
      expect.stringMatching(
        /^search is lexical \(BM25\) only: the dense weight 0\.5 is not applied because the search index database has no pgvector extension: install pgvector >= 0\.8/,
      ),
    ]);
  });
});
