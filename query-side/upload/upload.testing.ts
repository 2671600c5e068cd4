/** Small steps shared by the documents e2e specs (test code only): upload over real HTTP, wait for a status. */
import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';
import type { TestApp } from '../../ops/testing/server.ts';
import { CREATE_KB, type Session } from '../resolvers/identity.testing.ts';

export const DOCUMENT_FIELDS =
  'id knowledgeBaseId name mediaType sizeBytes sha256 status error chunkCount embeddedCount revision updatedAt';
export const DOCUMENT = `query($id: ID!) { document(id: $id) { ${DOCUMENT_FIELDS} } }`;
export const DOCUMENTS = `query($kb: ID!) { documents(knowledgeBaseId: $kb) { ${DOCUMENT_FIELDS} } }`;

export interface DocumentView {
  id: string;
  knowledgeBaseId: string;
  name: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  status: string;
  error: string | null;
  chunkCount: number;
  embeddedCount: number;
  revision: number;
  updatedAt: string;
}

export async function createKnowledgeBase(app: TestApp, session: Session, name: string): Promise<string> {
  const result = await app.gql<{ createKnowledgeBase: { id: string } }>(CREATE_KB, { name }, session.accessToken);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.createKnowledgeBase.id;
}

export interface UploadResponse {
  status: number;
  body: { id?: string; outcome?: string; errors?: Array<{ message: string; extensions: { code: string } }> };
}

export async function upload(
  app: TestApp,
  knowledgeBaseId: string,
  file: { name: string; bytes: Uint8Array },
  options: { token?: string; replace?: boolean; field?: string } = {},
): Promise<UploadResponse> {
  const form = new FormData();
  form.append(options.field ?? 'file', new Blob([file.bytes]), file.name);
  const query = options.replace ? '?replace=true' : '';
  const response = await fetch(`${app.url}/api/knowledge-bases/${knowledgeBaseId}/documents${query}`, {
    method: 'POST',
    body: form,
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
  });
  return { status: response.status, body: (await response.json()) as UploadResponse['body'] };
}

/** A raw request whose body we control (declared length, chunked): resolves with the status and JSON body. */
export function rawUpload(
  app: TestApp,
  knowledgeBaseId: string,
  token: string,
  headers: Record<string, string>,
  write: (body: NodeJS.WritableStream) => void,
): Promise<{ status: number; body: UploadResponse['body']; elapsedMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${app.url}/api/knowledge-bases/${knowledgeBaseId}/documents`,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as UploadResponse['body'], elapsedMs: performance.now() - started });
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close the connection while we still write the refused body.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    write(req);
  });
}

/** Polls document(id) until its status is one of `statuses`. */
export async function waitForStatus(
  app: TestApp,
  token: string,
  id: string,
  statuses: readonly string[],
  timeoutMs = 30_000,
): Promise<DocumentView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await app.gql<{ document: DocumentView | null }>(DOCUMENT, { id }, token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const document = result.data!.document;
    if (document && statuses.includes(document.status)) return document;
    if (Date.now() > deadline) throw new Error(`document ${id} is ${document?.status ?? 'missing'}, not ${statuses.join('|')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A request with Expect: 100-continue whose body is sent only once the server says 100 Continue. Resolves with the
 * status, the JSON body and whether the body was sent at all.
 */
export function expectContinueRequest(
  url: string,
  headers: Record<string, string>,
  body: Uint8Array,
): Promise<{ status: number; body: UploadResponse['body']; bodySent: boolean }> {
  return new Promise((resolve, reject) => {
    let bodySent = false;
    const req = httpRequest(url, { method: 'POST', headers: { expect: '100-continue', ...headers } });
    req.on('continue', () => {
      bodySent = true;
      req.end(body);
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as UploadResponse['body'], bodySent });
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

/** A multipart/form-data body with one file in the field `file`, and its content type. */
export async function multipartBody(name: string, bytes: Uint8Array): Promise<{ body: Uint8Array; contentType: string }> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const encoded = new Response(form);
  return { body: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}

/** An upload of `bytes` as the file `name` with Expect: 100-continue (see expectContinueRequest). */
export async function expectContinueUpload(url: string, file: { name: string; bytes: Uint8Array }, token?: string) {
  const { body, contentType } = await multipartBody(file.name, file.bytes);
  const headers = { 'content-type': contentType, 'content-length': String(body.length) };
  return expectContinueRequest(url, token ? { ...headers, authorization: `Bearer ${token}` } : headers, body);
}
