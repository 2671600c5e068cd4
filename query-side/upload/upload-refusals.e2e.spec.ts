/**
 * A refused upload is an answer the client can read. Node's fetch (undici) sends the whole multipart body before it
 * reads a response; a server that answers early and closes with the body still on its way resets the connection and
 * fetch reports "fetch failed" instead of the 401. Each refusal is tried several times with a body of a few hundred
 * kB, from another thread (see fetch-uploads.testing.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../../ops/testing/fixture-files.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { register, type Session } from '../resolvers/identity.testing.ts';
import { fetchUploads, type FetchAnswer } from './fetch-uploads.testing.ts';
import { createKnowledgeBase, expectContinueRequest, expectContinueUpload } from './upload.testing.ts';

// The PDF (388 kB) is over it, the 300 kB files under it.
const MAX_UPLOAD_BYTES = 320 * 1024;

describe('refused uploads are readable by Node fetch', () => {
  let app: TestApp;
  let alice: Session;
  let bob: Session;
  let kb: string;
  let pdf: Uint8Array;
  const text = new Uint8Array(Buffer.alloc(300 * 1024, 'The pump must be serviced every 500 hours.\n'));

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    kb = await createKnowledgeBase(app, alice, 'Manuals');
    pdf = new Uint8Array(await readFile(fixturePath('maint-guide.en.pdf')));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const urlOf = (knowledgeBaseId: string) => `${app.url}/api/knowledge-bases/${knowledgeBaseId}/documents`;
  const all = (times: number, status: number, code: string): FetchAnswer[] =>
    Array.from({ length: times }, () => ({ status, code }));

  it('401 without a token, for a 388 kB PDF, every time', async () => {
    expect(await fetchUploads({ url: urlOf(kb), bytes: pdf, times: 20 })).toEqual(all(20, 401, 'UNAUTHENTICATED'));
  });

  it('401 with a forged token, also for a body streamed without a length', async () => {
    const token = `${alice.accessToken}x`;
    expect(await fetchUploads({ url: urlOf(kb), bytes: pdf, times: 10, token })).toEqual(all(10, 401, 'UNAUTHENTICATED'));
    expect(await fetchUploads({ url: urlOf(kb), bytes: pdf, times: 10, token, chunked: true })).toEqual(
      all(10, 401, 'UNAUTHENTICATED'),
    );
  });

  it('403 for a member who does not own the knowledge base', async () => {
    expect(await fetchUploads({ url: urlOf(kb), bytes: text, times: 20, token: bob.accessToken })).toEqual(
      all(20, 403, 'FORBIDDEN'),
    );
  });

  it('404 for an unknown knowledge base', async () => {
    expect(await fetchUploads({ url: urlOf('no-such-kb'), bytes: text, times: 20, token: alice.accessToken })).toEqual(
      all(20, 404, 'NOT_FOUND'),
    );
  });

  // The type is known only once the file is read, so a 415 comes with little of the body left to read: it was
  // readable before too, and must stay so.
  it('415 for 300 kB of no known type', async () => {
    const bytes = new Uint8Array(randomBytes(300 * 1024));
    bytes.set([0x7f, 0x45, 0x4c, 0x46]); // an ELF executable
    expect(await fetchUploads({ url: urlOf(kb), bytes, times: 10, token: alice.accessToken })).toEqual(
      all(10, 415, 'UNSUPPORTED_MEDIA_TYPE'),
    );
  });

  it('413 for a PDF over MAX_UPLOAD_BYTES, with a declared length and streamed without one', async () => {
    expect(await fetchUploads({ url: urlOf(kb), bytes: pdf, times: 10, token: alice.accessToken })).toEqual(
      all(10, 413, 'PAYLOAD_TOO_LARGE'),
    );
    expect(await fetchUploads({ url: urlOf(kb), bytes: pdf, times: 10, token: alice.accessToken, chunked: true })).toEqual(
      all(10, 413, 'PAYLOAD_TOO_LARGE'),
    );
  });

  it('does not read a refused body without end: past the bound the connection is closed', async () => {
    // An endless body without a length and without a token. The server reads about twice the largest upload
    // (2 x (320 + 64) KiB) and then answers and closes; the sender notices at the latest when its writes fail.
    const sent = await new Promise<number>((resolve) => {
      let bytes = 0;
      const request = httpRequest(urlOf(kb), {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x', 'transfer-encoding': 'chunked' },
      });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (!request.destroyed && request.write(chunk)) bytes += chunk.length;
      };
      request.on('drain', pump);
      request.on('response', (response) => response.resume().on('end', () => request.destroy()));
      request.on('close', () => resolve(bytes));
      request.on('error', () => undefined); // EPIPE or ECONNRESET: the server closed under the write
      pump();
    });
    // Far below what an endless writer would have sent (loopback buffers take a few MB of it).
    expect(sent).toBeLessThan(64 * 1024 ** 2);
  });

  describe('Expect: 100-continue', () => {
    const codeOf = (body: { errors?: Array<{ extensions: { code: string } }> }) => body.errors?.[0]?.extensions.code;

    it('refuses before the body is sent: 413 by Content-Length, 401, 404', async () => {
      const send = async (url: string, bytes: Uint8Array, token?: string) => {
        const answer = await expectContinueUpload(url, { name: 'upload.pdf', bytes }, token);
        return [answer.status, codeOf(answer.body), answer.bodySent];
      };
      expect(await send(urlOf(kb), pdf, alice.accessToken)).toEqual([413, 'PAYLOAD_TOO_LARGE', false]);
      expect(await send(urlOf(kb), text)).toEqual([401, 'UNAUTHENTICATED', false]);
      expect(await send(urlOf('no-such-kb'), text, alice.accessToken)).toEqual([404, 'NOT_FOUND', false]);
    });

    it('asks for the body once the checks pass, and the upload is created', async () => {
      const bytes = new TextEncoder().encode('# Pump\n\nService it.\n');
      const created = await expectContinueUpload(urlOf(kb), { name: 'pump.md', bytes }, alice.accessToken);
      expect([created.status, created.body.outcome, created.bodySent]).toEqual([201, 'created', true]);
    });

    it('other routes still get their 100 Continue (GraphQL)', async () => {
      const query = new TextEncoder().encode(JSON.stringify({ query: '{ me { id } }' }));
      const headers = {
        'content-type': 'application/json',
        'content-length': String(query.length),
        authorization: `Bearer ${alice.accessToken}`,
      };
      const answer = await expectContinueRequest(`${app.url}/graphql`, headers, query);
      expect([answer.status, answer.bodySent]).toEqual([200, true]);
      expect(answer.body).toMatchObject({ data: { me: { id: alice.user.id } } });
    });
  });
});
