/**
 * What only the S3 adapter has to show, against a real s3rver process (ops/testing/s3-server.ts): two processes'
 * stores share blobs through the bucket, large uploads stream without being held in memory, and wrong credentials,
 * a wrong bucket or an unreachable endpoint fail with a message that says so. The contract common to every blob
 * store is blobstore.contract.int.spec.ts.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3StoreOptions } from '../../ops/testing/blobstores.ts';
import { startTestS3Server, type TestS3Server } from '../../ops/testing/s3-server.ts';
import { BlobNotFoundError } from './blobstore.ts';
import { createS3BlobStore, type S3BlobStore, type S3BlobStoreOptions } from './s3-blobstore.ts';
import { S3BlobStoreError } from './s3-failures.ts';

const MB = 1024 * 1024;

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `work` and samples this process's heap and buffer memory meanwhile; the highest growth over the start. */
async function peakMemoryGrowth(work: () => Promise<unknown>): Promise<number> {
  const used = () => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const start = used();
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, used())), 2);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, used()) - start;
}

describe('S3 blob store', () => {
  let server: TestS3Server;
  let dir: string;
  const stores: S3BlobStore[] = [];
  const store = (overrides: Partial<S3BlobStoreOptions> = {}, staging = 'staging') => {
    const created = createS3BlobStore(s3StoreOptions(server, path.join(dir, staging), overrides));
    stores.push(created);
    return created;
  };

  beforeAll(async () => {
    server = await startTestS3Server(['ka-blobs-test', 'ka-blobs-other']);
    dir = await mkdtemp(path.join(os.tmpdir(), 'ka-s3-spec-'));
  });
  afterAll(async () => {
    for (const created of stores) created.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('two stores on the same bucket (an api and a worker host) share their blobs; another bucket does not', async () => {
    const api = store({}, 'api-staging');
    const worker = store({}, 'worker-staging');
    const ref = await api.put(new TextEncoder().encode('uploaded on the api host'));
    expect(Buffer.from(await worker.get(ref.sha256)).toString()).toBe('uploaded on the api host');
    await expect(store({ bucket: 'ka-blobs-other' }).get(ref.sha256)).rejects.toBeInstanceOf(BlobNotFoundError);
    await worker.delete(ref.sha256);
    expect(await api.has(ref.sha256)).toBe(false);
  });

  it('uploads 128 MB without holding it in memory', async () => {
    const blobs = store();
    const size = 128;
    // One buffer handed out again and again: whatever the store keeps of the upload shows as memory growth. What
    // streaming leaves is garbage of the file's 64 KB reads until the next collection (~30 MB here, whatever the size).
    const piece = new Uint8Array(MB);
    const hash = createHash('sha256');
    for (let i = 0; i < size; i++) hash.update(piece.fill(i));
    async function* source() {
      for (let i = 0; i < size; i++) yield piece.fill(i);
    }
    let sha256 = '';
    const growth = await peakMemoryGrowth(async () => ({ sha256 } = await blobs.putStream(source())));
    expect(sha256).toBe(hash.digest('hex'));
    expect(growth).toBeLessThan((size / 3) * MB);
    const back = await blobs.get(sha256);
    expect(createHash('sha256').update(back).digest('hex')).toBe(sha256);
    await blobs.delete(sha256);
  }, 120_000);

  it('checks at start-up that the bucket can be read with its credentials', async () => {
    await expect(store().checkAccess()).resolves.toBeUndefined();
  });

  it('a wrong secret fails every call clearly, and a failed upload leaves no staged file', async () => {
    const wrong = store({ credentials: { accessKeyId: server.accessKeyId, secretAccessKey: 'not-the-secret' } }, 'wrong');
    const refused = /^S3 refused to .* in bucket "ka-blobs-test" at http:\/\/127\.0\.0\.1:\d+ \(.*HTTP 403\): check the access key id and secret access key/;
    await expect(wrong.checkAccess()).rejects.toThrow(S3BlobStoreError);
    await expect(wrong.checkAccess()).rejects.toThrow(/SignatureDoesNotMatch/);
    await expect(wrong.checkAccess()).rejects.toThrow(refused);
    await expect(wrong.put(new TextEncoder().encode('never stored'))).rejects.toThrow(refused);
    expect(await readdir(path.join(dir, 'wrong'))).toEqual([]);
    const stored = await store().put(new TextEncoder().encode('stored with the right secret'));
    await expect(wrong.get(stored.sha256)).rejects.toThrow(refused);
    await expect(wrong.has(stored.sha256)).rejects.toThrow(refused);
    await expect(wrong.delete(stored.sha256)).rejects.toThrow(refused);
    expect(await store().has(stored.sha256)).toBe(true);
  });

  it('an unknown access key id is named', async () => {
    const unknown = store({ credentials: { accessKeyId: 'NOBODY', secretAccessKey: 'whatever' } });
    await expect(unknown.checkAccess()).rejects.toThrow(/^S3 refused to read objects in bucket .*\(InvalidAccessKeyId, HTTP 403\)/);
  });

  it('a bucket that does not exist is named at start-up', async () => {
    await expect(store({ bucket: 'ka-no-such-bucket' }).checkAccess()).rejects.toThrow(
      /^S3 has no bucket "ka-no-such-bucket" at http:\/\/127\.0\.0\.1:\d+ \(NoSuchBucket, HTTP 404\)/,
    );
  });

  it('an endpoint nobody answers on fails in words, not as a missing blob', async () => {
    const nowhere = store({ endpoint: `http://127.0.0.1:${await closedPort()}` });
    await expect(nowhere.checkAccess()).rejects.toThrow(/^S3 could not read objects in bucket .*: the endpoint cannot be reached \(ECONNREFUSED\)/);
    await expect(nowhere.get('0'.repeat(64))).rejects.toThrow(S3BlobStoreError);
  });
});
