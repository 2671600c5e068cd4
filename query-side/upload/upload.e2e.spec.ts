import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { register, type Session } from '../resolvers/identity.testing.ts';
import { DOCUMENTS, createKnowledgeBase, rawUpload, upload, waitForStatus, type DocumentView } from './upload.testing.ts';

const MAX_UPLOAD_BYTES = 1024 * 1024;
const markdown = (title: string) =>
  new TextEncoder().encode(`# ${title}\n\nThe pump must be serviced every 500 hours.\n\n## Filters\n\nReplace the oil filter.\n`);

describe('document upload over HTTP', () => {
  let app: TestApp;
  let alice: Session;
  let bob: Session;
  let kb: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
    await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    kb = await createKnowledgeBase(app, alice, 'Manuals');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('201 with the id; the document is stored by sha256 and ends indexed', async () => {
    const bytes = markdown('Pump manual');
    const response = await upload(app, kb, { name: 'docs/pump.md', bytes }, { token: alice.accessToken });
    expect(response).toMatchObject({ status: 201, body: { id: expect.any(String), outcome: 'created' } });
    const document = await waitForStatus(app, alice.accessToken, response.body.id!, ['indexed', 'failed']);
    expect(document).toMatchObject({
      knowledgeBaseId: kb,
      name: 'pump.md',
      mediaType: 'text/markdown',
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      status: 'indexed',
      error: null,
      revision: 1,
    });
    expect(document.chunkCount).toBeGreaterThan(0);
    expect(document.embeddedCount).toBe(document.chunkCount);
  });

  it('recognises the same bytes again (200, same id) and replaces on ?replace=true (new revision)', async () => {
    const bytes = markdown('Twice');
    const first = await upload(app, kb, { name: 'a.md', bytes }, { token: alice.accessToken });
    const again = await upload(app, kb, { name: 'b.md', bytes }, { token: alice.accessToken });
    expect(again).toEqual({ status: 200, body: { id: first.body.id, outcome: 'existing', duplicate: true, visible: true } });
    await waitForStatus(app, alice.accessToken, first.body.id!, ['indexed']);
    const replaced = await upload(app, kb, { name: 'b.md', bytes }, { token: alice.accessToken, replace: true });
    expect(replaced).toMatchObject({ status: 201, body: { id: first.body.id, outcome: 'replaced' } });
    const document = await waitForStatus(app, alice.accessToken, first.body.id!, ['indexed']);
    expect(document).toMatchObject({ name: 'b.md', revision: 2 });
    const listed = await app.gql<{ documents: DocumentView[] }>(DOCUMENTS, { kb }, alice.accessToken);
    expect(listed.data!.documents.filter((d) => d.id === first.body.id)).toHaveLength(1);
  });

  it('413 on a declared Content-Length over the limit, answered before the body is sent', async () => {
    const response = await rawUpload(
      app,
      kb,
      alice.accessToken,
      { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(10 * 1024 ** 3) },
      (body) => body.write('--x\r\n'), // a few bytes of a 10 GB body, and no more
    );
    expect(response.status).toBe(413);
    expect(response.body.errors![0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('413 when a body without a declared length streams past the limit', async () => {
    const boundary = 'boundary42';
    const response = await rawUpload(
      app,
      kb,
      alice.accessToken,
      { 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
      (body) => {
        body.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n`);
        const line = Buffer.alloc(64 * 1024, 'a');
        for (let i = 0; i < (2 * MAX_UPLOAD_BYTES) / line.length; i++) body.write(line);
        body.end(`\r\n--${boundary}--\r\n`);
      },
    );
    expect(response.status).toBe(413);
    expect(response.body.errors![0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('415 for bytes of no known type, whatever the name says', async () => {
    const bytes = new Uint8Array(randomBytes(4096));
    bytes.set([0x7f, 0x45, 0x4c, 0x46]); // an ELF executable
    const response = await upload(app, kb, { name: 'manual.pdf', bytes }, { token: alice.accessToken });
    expect(response.status).toBe(415);
    expect(response.body.errors![0]!.extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // Refused means kept nowhere: no blob of it, no temporary file (a stream of 415s cannot fill the disk).
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(existsSync(path.join(app.dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256))).toBe(false);
    expect(await readdir(path.join(app.dataDir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('401 without or with a bad token, 403 for another member, 404 for an unknown knowledge base', async () => {
    const file = { name: 'x.md', bytes: markdown('Guarded') };
    const codeOf = (r: { body: { errors?: Array<{ extensions: { code: string } }> } }) => r.body.errors?.[0]?.extensions.code;
    const anonymous = await upload(app, kb, file);
    expect([anonymous.status, codeOf(anonymous)]).toEqual([401, 'UNAUTHENTICATED']);
    const forged = await upload(app, kb, file, { token: `${alice.accessToken}x` });
    expect([forged.status, codeOf(forged)]).toEqual([401, 'UNAUTHENTICATED']);
    const stranger = await upload(app, kb, file, { token: bob.accessToken });
    expect([stranger.status, codeOf(stranger)]).toEqual([403, 'FORBIDDEN']);
    const unknown = await upload(app, 'no-such-kb', file, { token: alice.accessToken });
    expect([unknown.status, codeOf(unknown)]).toEqual([404, 'NOT_FOUND']);
    const wrongField = await upload(app, kb, file, { token: alice.accessToken, field: 'attachment' });
    expect([wrongField.status, codeOf(wrongField)]).toEqual([400, 'BAD_USER_INPUT']);
  });

  it('accepts a truncated PDF (known type) and ends it failed with a reason', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Ty');
    const response = await upload(app, kb, { name: 'broken.pdf', bytes }, { token: alice.accessToken });
    expect(response.status).toBe(201);
    const document = await waitForStatus(app, alice.accessToken, response.body.id!, ['indexed', 'failed']);
    expect(document.status).toBe('failed');
    expect(document.error).toBe('file is corrupt');
  });
});
