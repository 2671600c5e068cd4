/**
 * Uploaded files shared through an S3 bucket by processes on different "hosts": real `npm start` processes with
 * ROLE=projector, ROLE=api and ROLE=worker, each with a DATA_DIR of its own, sharing Postgres, Redis and a bucket
 * of an s3rver process (ops/testing/s3-server.ts). The api stores the upload in the bucket, the worker reads it
 * from there to parse, chunk and index it, and deleting the document makes the worker's blob collector remove the
 * object.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3BlobStore, type S3BlobStore } from '../../command-side/blobstore/s3-blobstore.ts';
import { S3BlobStoreError } from '../../command-side/blobstore/s3-failures.ts';
import { loadConfig } from '../config/config.ts';
import { s3StoreOptions } from '../testing/blobstores.ts';
import { createTestPostgres, TEST_REDIS_URL, type TestDatabase } from '../testing/databases.ts';
import { until } from '../testing/document-uploads.ts';
import { postGraphql } from '../testing/graphql-clients.ts';
import { startRole, stopRole, type RoleProcess } from '../testing/role-processes.ts';
import { startTestS3Server, type TestS3Server } from '../testing/s3-server.ts';
import { createApp } from './create-app.ts';

const MANUAL = new TextEncoder().encode(
  '# Pump maintenance\n\nClose the inlet valve before you open the filter housing.\n\n' +
    '## Seals\n\nReplace the shaft seal every 4,000 operating hours or when it weeps.\n',
);
type DocumentView = { status: string; error: string | null; chunkCount: number; sha256: string };
const DOCUMENT = `query($id: ID!) { document(id: $id) { status error chunkCount sha256 } }`;

async function ok<T>(url: string, token: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await postGraphql<T>(url, query, variables, token);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

/** Blob files under a DATA_DIR (staging files included): none when the bucket holds them. */
async function localBlobFiles(dataDir: string): Promise<string[]> {
  const dir = path.join(dataDir, 'blobs');
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('blobs in S3: an api and a worker with separate DATA_DIRs share the uploaded files', () => {
  let s3: TestS3Server;
  let bucket: S3BlobStore;
  let events: TestDatabase;
  let readModels: TestDatabase;
  let scratch: string;
  let env: Record<string, string>;
  const dataDir = (role: string) => path.join(scratch, role);
  const roles: RoleProcess[] = [];
  let api: string;
  let token: string;

  beforeAll(async () => {
    s3 = await startTestS3Server();
    [events, readModels] = await Promise.all([createTestPostgres({ max: 1 }), createTestPostgres({ max: 1 })]);
    scratch = await mkdtemp(path.join(os.tmpdir(), 'ka-s3-roles-'));
    bucket = createS3BlobStore(s3StoreOptions(s3, path.join(scratch, 'test-staging')));
    env = {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      EVENTSTORE_URL: events.url,
      DATABASE_URL: readModels.url,
      REDIS_URL: TEST_REDIS_URL,
      JWT_SECRET: 'a-test-secret-shared-by-every-instance-000',
      SEARCH_DENSE_WEIGHT: '0',
      ...s3.env(),
    };
    // The projector first: it creates the read-model tables the others read.
    roles.push(await startRole('projector', { ...env, DATA_DIR: dataDir('projector') }));
    roles.push(...(await Promise.all(['api', 'worker'].map((role) => startRole(role, { ...env, DATA_DIR: dataDir(role) })))));
    api = roles[1]!.url!;
    token = (
      await ok<{ register: { accessToken: string } }>(
        api,
        undefined,
        `mutation { register(email: "s3@example.com", password: "correct horse battery") { accessToken } }`,
      )
    ).register.accessToken;
  }, 300_000);
  afterAll(async () => {
    await Promise.all(roles.map(stopRole));
    bucket?.close();
    await s3?.close();
    await events?.drop();
    await readModels?.drop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('the worker processes a file uploaded to the api; deleting the document removes it from the bucket', async () => {
    const kb = (await ok<{ createKnowledgeBase: { id: string } }>(api, token, `mutation { createKnowledgeBase(name: "Pumps") { id } }`))
      .createKnowledgeBase.id;
    const form = new FormData();
    form.append('file', new Blob([MANUAL]), 'pumps.md');
    const response = await fetch(`${api}/api/knowledge-bases/${kb}/documents`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    const { id } = (await response.json()) as { id: string };
    expect(response.status).toBe(201);
    const { sha256 } = (await ok<{ document: DocumentView }>(api, token, DOCUMENT, { id })).document;
    expect(await bucket.has(sha256)).toBe(true);
    expect(await localBlobFiles(dataDir('api'))).toEqual([]);

    // Indexed only once the worker, whose DATA_DIR has no blobs, read the file from the bucket, parsed and chunked it.
    const processed = await until(
      'the worker to index the document',
      async () => {
        const { document } = await ok<{ document: DocumentView }>(api, token, DOCUMENT, { id });
        return document.status === 'indexed' || document.status === 'failed' ? document : undefined;
      },
      60_000,
    );
    expect(processed, JSON.stringify(processed)).toMatchObject({ status: 'indexed', error: null });
    expect(processed.chunkCount).toBeGreaterThan(0);
    expect(await localBlobFiles(dataDir('worker'))).toEqual([]);

    await ok(api, token, `mutation($id: ID!) { deleteDocument(id: $id) { id status } }`, { id });
    await until('the blob collector to delete the object', async () => ((await bucket.has(sha256)) ? undefined : true), 60_000);
  }, 120_000);

  it('a worker whose secret is wrong does not start, and says why', async () => {
    const config = loadConfig({ ...env, DATA_DIR: dataDir('wrong-worker'), ROLE: 'worker', BLOB_S3_SECRET_ACCESS_KEY: 'not-the-secret' });
    const started = createApp(config);
    await expect(started).rejects.toThrow(S3BlobStoreError);
    await expect(started).rejects.toThrow(/^S3 refused to read objects in bucket "ka-blobs-test" .*SignatureDoesNotMatch/);
  }, 120_000);
});
