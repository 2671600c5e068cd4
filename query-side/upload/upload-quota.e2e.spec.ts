import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { register, type Session } from '../resolvers/identity.testing.ts';
import { fetchUploads } from './fetch-uploads.testing.ts';
import {
  DOCUMENTS,
  createKnowledgeBase,
  expectContinueUpload,
  upload,
  waitForStatus,
  type DocumentView,
  type UploadResponse,
} from './upload.testing.ts';

const BYTES_STORED = 10_000;
const IN_FLIGHT = 2;
const DELETE = `mutation($id: ID!) { deleteDocument(id: $id) { status } }`;

/** A Markdown file of exactly `size` bytes, different for each `title`. */
const markdown = (title: string, size = 200) => {
  const head = `# ${title}\n\nThe pump must be serviced every 500 hours.\n`;
  return new TextEncoder().encode(head.padEnd(size, 'x'));
};

const errorOf = (response: UploadResponse) => {
  const error = response.body.errors?.[0] as { message: string; extensions: Record<string, unknown> } | undefined;
  return { status: response.status, message: error?.message, extensions: error?.extensions };
};

describe('upload quotas per user', () => {
  let app: TestApp;
  let alice: Session;
  let bob: Session;
  let carol: Session;
  let admin: Session;

  beforeAll(async () => {
    app = await startTestApp({
      env: {
        RATE_LIMIT_AUTH_PER_MINUTE: '1000',
        QUOTA_BYTES_STORED: String(BYTES_STORED),
        QUOTA_DOCUMENTS_IN_FLIGHT: String(IN_FLIGHT),
      },
    });
    admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    carol = await register(app, 'carol@example.com');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const put = (kb: string, name: string, bytes: Uint8Array, session: Session) =>
    upload(app, kb, { name, bytes }, { token: session.accessToken });

  /** Runs `refused` and checks the event log did not move meanwhile: a refused upload appends nothing. */
  async function appendsNothing<T>(refused: () => Promise<T>): Promise<T> {
    const before = await app.app.eventStore.headPosition();
    const result = await refused();
    expect(await app.app.eventStore.headPosition()).toEqual(before);
    return result;
  }

  it('bytes stored: past the limit is 403 QUOTA_EXCEEDED naming the limit and the usage; others are unaffected', async () => {
    const kb = await createKnowledgeBase(app, alice, 'Manuals');
    const first = await put(kb, 'first.md', markdown('First', 6_000), alice);
    expect(first.status).toBe(201);

    const second = markdown('Second', 6_000);
    const refused = await appendsNothing(() => put(kb, 'second.md', second, alice));
    expect(errorOf(refused)).toEqual({
      status: 403,
      message: expect.stringMatching(/6000 bytes.*limit on bytes stored of 10000/),
      extensions: { code: 'QUOTA_EXCEEDED', quota: 'bytesStored', limit: BYTES_STORED, usage: 6_000, retryable: false },
    });
    // Nothing of the file is kept.
    const sha256 = createHash('sha256').update(second).digest('hex');
    expect(existsSync(path.join(app.dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256))).toBe(false);
    expect(await readdir(path.join(app.dataDir, 'blobs', 'tmp'))).toEqual([]);

    // The same for a body without a length (counted on the bytes as they arrive), read by Node's fetch.
    const url = `${app.url}/api/knowledge-bases/${kb}/documents`;
    const streamed = await appendsNothing(() =>
      fetchUploads({ url, bytes: second, times: 3, token: alice.accessToken, chunked: true }),
    );
    expect(streamed).toEqual(Array.from({ length: 3 }, () => ({ status: 403, code: 'QUOTA_EXCEEDED' })));
    // A client that waits for 100 Continue is refused on its Content-Length alone, before it sends the body.
    const large = { name: 'large.md', bytes: markdown('Large', 100_000) };
    const early = await appendsNothing(() => expectContinueUpload(url, large, alice.accessToken));
    expect([early.status, early.body.errors?.[0]?.extensions.code, early.bodySent]).toEqual([403, 'QUOTA_EXCEEDED', false]);

    // Bob's own usage is his: the same file fits for him.
    const bobs = await createKnowledgeBase(app, bob, 'Bob notes');
    expect((await put(bobs, 'second.md', second, bob)).status).toBe(201);

    // Deleting the first document frees its bytes.
    const deleted = await app.gql(DELETE, { id: first.body.id }, alice.accessToken);
    expect(deleted.errors).toBeUndefined();
    expect((await put(kb, 'second.md', second, alice)).status).toBe(201);
  });

  // Slow on a busy machine (a restart, documents through the pipeline), hence the longer timeouts.
  const slow = { timeout: 240_000 };
  it('documents in flight: past the limit is 429 QUOTA_EXCEEDED, also for an admin; indexing frees it', slow, async () => {
    const kb = await createKnowledgeBase(app, carol, 'Queue');
    const dave = await register(app, 'dave@example.com');
    const daves = await createKnowledgeBase(app, dave, 'Dave notes');
    // Without the worker, uploaded documents stay in flight.
    const pipeline = app.app.slices.services.find((service) => service.name === 'document pipeline')!;
    await pipeline.stop();
    const ids: string[] = [];
    for (let i = 0; i < IN_FLIGHT; i++) {
      const response = await put(kb, `${i}.md`, markdown(`Queued ${i}`), carol);
      expect(response.status).toBe(201);
      ids.push(response.body.id!);
    }

    const refused = await appendsNothing(() => put(kb, 'more.md', markdown('More'), carol));
    expect(errorOf(refused)).toEqual({
      status: 429,
      message: expect.stringMatching(/2 of your documents are still being processed.*documents in flight is 2/),
      extensions: { code: 'QUOTA_EXCEEDED', quota: 'documentsInFlight', limit: IN_FLIGHT, usage: IN_FLIGHT, retryable: true },
    });
    // The owner's quota, whoever uploads: an admin's upload into Carol's knowledge base counts for Carol.
    const byAdmin = await appendsNothing(() => put(kb, 'admin.md', markdown('Admin'), admin));
    expect(errorOf(byAdmin)).toMatchObject({ status: 429, extensions: { code: 'QUOTA_EXCEEDED' } });
    // Dave has his own.
    expect((await put(daves, 'd.md', markdown('Dave'), dave)).status).toBe(201);

    // The worker comes back (a restart on the same data) and indexes the queue: the in-flight count goes down.
    await app.restart();
    for (const id of ids) await waitForStatus(app, carol.accessToken, id, ['indexed'], 120_000);
    expect((await put(kb, 'more.md', markdown('More'), carol)).status).toBe(201);
    const listed = await app.gql<{ documents: DocumentView[] }>(DOCUMENTS, { kb }, carol.accessToken);
    expect(listed.data!.documents.map((document) => document.name).sort()).toEqual(['0.md', '1.md', 'more.md']);
  });
});
