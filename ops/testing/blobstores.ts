/**
 * Blob stores for tests, each fresh, with one close() that removes what it made:
 * - 'local': a temporary directory;
 * - 's3': a bucket of a new s3rver process (s3-server.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BlobStore } from '../../command-side/blobstore/blobstore.ts';
import { createLocalBlobStore } from '../../command-side/blobstore/local-blobstore.ts';
import { createS3BlobStore, type S3BlobStore, type S3BlobStoreOptions } from '../../command-side/blobstore/s3-blobstore.ts';
import { startTestS3Server, type TestS3Server } from './s3-server.ts';

export type TestBlobStoreKind = 'local' | 's3';

export interface TestBlobStore {
  blobs: BlobStore;
  /** Where uploads wait before they are committed: empty again once each is committed or discarded. */
  stagingDir: string;
  close(): Promise<void>;
}

/** The adapter's options for a bucket of `server`, staging in `stagingDir`; `overrides` e.g. wrong credentials. */
export const s3StoreOptions = (
  server: TestS3Server,
  stagingDir: string,
  overrides: Partial<S3BlobStoreOptions> = {},
): S3BlobStoreOptions => ({
  bucket: server.buckets[0]!,
  endpoint: server.endpoint,
  region: server.region,
  credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  forcePathStyle: true,
  stagingDir,
  ...overrides,
});

export async function openTestBlobStore(kind: TestBlobStoreKind): Promise<TestBlobStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ka-blobs-'));
  if (kind === 'local') {
    return { blobs: createLocalBlobStore(dir), stagingDir: path.join(dir, 'tmp'), close: () => rm(dir, { recursive: true, force: true }) };
  }
  const server = await startTestS3Server();
  const stagingDir = path.join(dir, 'staging');
  const blobs: S3BlobStore = createS3BlobStore(s3StoreOptions(server, stagingDir));
  return {
    blobs,
    stagingDir,
    async close() {
      blobs.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
