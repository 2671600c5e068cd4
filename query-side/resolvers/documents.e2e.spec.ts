import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPdf } from '../../command-side/ingestion/parsing/testing/pdf-builder.ts';
import { fixturePath } from '../../ops/testing/fixture-files.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { DOCUMENTS, DOCUMENT_FIELDS, createKnowledgeBase, upload, waitForStatus, type DocumentView } from '../upload/upload.testing.ts';
import { register, type Session } from './identity.testing.ts';

const STATUS = `subscription($kb: ID!) { documentStatus(knowledgeBaseId: $kb) { ${DOCUMENT_FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteDocument(id: $id) { ${DOCUMENT_FIELDS} } }`;
const REINDEX = `mutation($id: ID!) { reindexDocument(id: $id) { ${DOCUMENT_FIELDS} } }`;
const SEARCH = `query($kb: ID!, $q: String!) { search(knowledgeBaseId: $kb, query: $q, limit: 10) { documentId text } }`;
const ORDER = ['uploaded', 'parsing', 'chunking', 'embedding', 'indexed'];

describe('documents over GraphQL and WebSocket', () => {
  let app: TestApp;
  let alice: Session;
  let bob: Session;
  let kb: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', PARSE_MEMORY_MB: '256' } });
    await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    kb = await createKnowledgeBase(app, alice, 'Guides');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('documentStatus streams every status change of an upload in order, its progress never going back', async () => {
    const subscription = app.subscribe<{ documentStatus: DocumentView }>(STATUS, { kb }, alice.accessToken);
    await new Promise((resolve) => setTimeout(resolve, 500)); // graphql-ws does not acknowledge a subscription
    const response = await upload(app, kb, { name: 'maint-guide.en.pdf', bytes: await readFile(fixturePath('maint-guide.en.pdf')) }, {
      token: alice.accessToken,
    });
    expect(response.status).toBe(201);
    const seen: DocumentView[] = [];
    while (seen.at(-1)?.status !== 'indexed') {
      const result = await subscription.next(60_000);
      expect(result.errors).toBeUndefined();
      seen.push(result.data!.documentStatus);
    }
    expect(seen.every((d) => d.id === response.body.id)).toBe(true);
    const statuses = seen.map((d) => d.status).filter((s, i, all) => s !== all[i - 1]);
    expect(statuses).toEqual(ORDER);
    // At the default weights no vectors are computed: the chunks are recorded as embedded in one step (up to 1,024
    // per event), so there is no embedding progress to see between "embedding" and "indexed".
    const progress = seen.filter((d) => d.status === 'embedding').map((d) => d.embeddedCount);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ embeddedCount: seen.at(-1)!.chunkCount, error: null });
  });

  it('refuses documentStatus and documents of another member’s knowledge base', async () => {
    const denied = app.subscribe(STATUS, { kb }, bob.accessToken);
    await expect(denied.next(10_000)).rejects.toThrow(/"code":"FORBIDDEN"/);
    const listed = await app.gql(DOCUMENTS, { kb }, bob.accessToken);
    expect(listed.codes).toEqual(['FORBIDDEN']);
  });

  it('reindexDocument starts a new revision; deleteDocument takes its chunks out of search at once', async () => {
    const bytes = new TextEncoder().encode('# Hydraulics\n\nThe xylophonic valve needs quarterly inspection.\n');
    const { body } = await upload(app, kb, { name: 'valve.md', bytes }, { token: alice.accessToken });
    await waitForStatus(app, alice.accessToken, body.id!, ['indexed']);
    const reindexed = await app.gql<{ reindexDocument: DocumentView }>(REINDEX, { id: body.id }, alice.accessToken);
    expect(reindexed.errors).toBeUndefined();
    expect(reindexed.data!.reindexDocument.revision).toBe(2);
    expect((await waitForStatus(app, alice.accessToken, body.id!, ['indexed'])).revision).toBe(2);
    const hits = async () =>
      (await app.gql<{ search: Array<{ documentId: string }> }>(SEARCH, { kb, q: 'xylophonic valve' }, alice.accessToken)).data!.search;
    expect((await hits()).filter((h) => h.documentId === body.id)).toHaveLength(1);

    expect((await app.gql(DELETE, { id: body.id }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
    const deleted = await app.gql<{ deleteDocument: DocumentView }>(DELETE, { id: body.id }, alice.accessToken);
    expect(deleted.data!.deleteDocument.status).toBe('deleted');
    expect((await hits()).filter((h) => h.documentId === body.id)).toEqual([]);
    const listed = await app.gql<{ documents: DocumentView[] }>(DOCUMENTS, { kb }, alice.accessToken);
    expect(listed.data!.documents.map((d) => d.id)).not.toContain(body.id);
    expect((await app.gql(REINDEX, { id: body.id }, alice.accessToken)).codes).toEqual(['NOT_FOUND']);
  });

  it('keeps answering within 1 s while a PDF flate bomb is being parsed, and fails the bomb', async () => {
    const bomb = buildPdf([{ bombMegabytes: 1000 }]);
    const { status, body } = await upload(app, kb, { name: 'bomb.pdf', bytes: bomb }, { token: alice.accessToken });
    expect(status).toBe(201);
    const latencies: number[] = [];
    let document: (DocumentView & { errorCode: string | null }) | undefined;
    for (;;) {
      const started = performance.now();
      const result = await app.gql<{ document: NonNullable<typeof document> }>(
        `query($id: ID!) { document(id: $id) { ${DOCUMENT_FIELDS} errorCode } }`,
        { id: body.id },
        alice.accessToken,
      );
      latencies.push(performance.now() - started);
      document = result.data!.document;
      if (document.status === 'failed' || document.status === 'indexed') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(document!.status).toBe('failed');
    expect(['parsing needed too much memory', 'parsing took too long']).toContain(document!.error);
    expect(['PARSE_MEMORY', 'PARSE_TIMEOUT']).toContain(document!.errorCode);
    expect(Math.max(...latencies)).toBeLessThan(1000);
  });
});
