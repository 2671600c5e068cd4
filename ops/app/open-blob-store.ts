/**
 * The blob store of this process: an S3-compatible bucket when BLOB_S3_BUCKET is set, so api and worker processes
 * on different hosts share the uploaded files; DATA_DIR/blobs otherwise (one host, or a volume every role mounts).
 * Uploads are staged under DATA_DIR/blobs/tmp either way. With a bucket, the api and worker roles check at start-up
 * that it can be read, so a wrong name or credential stops the start with a message instead of failing uploads.
 */
import path from 'node:path';
import type { BlobStore } from '../../command-side/blobstore/blobstore.ts';
import { createLocalBlobStore } from '../../command-side/blobstore/local-blobstore.ts';
import { createS3BlobStore, type S3BlobStoreOptions } from '../../command-side/blobstore/s3-blobstore.ts';
import { ConfigError, type Config } from '../config/config.ts';
import type { BackgroundService } from './background-service.ts';

export interface OpenedBlobStore {
  blobs: BlobStore;
  /** With a bucket: checks it on start, closes the client on stop (the roles that read and write blobs). */
  services: BackgroundService[];
}

/** The S3 adapter's options from the configuration; undefined when no bucket is set. */
export function s3OptionsOf(config: Config): S3BlobStoreOptions | undefined {
  const { BLOB_S3_BUCKET: bucket, BLOB_S3_ENDPOINT: endpoint } = config;
  if (!bucket) {
    if (endpoint) throw new ConfigError('invalid configuration:\n  BLOB_S3_BUCKET: must be set with BLOB_S3_ENDPOINT');
    return undefined;
  }
  const { BLOB_S3_ACCESS_KEY_ID: accessKeyId, BLOB_S3_SECRET_ACCESS_KEY: secretAccessKey } = config;
  if (!accessKeyId !== !secretAccessKey) {
    throw new ConfigError(
      'invalid configuration:\n  BLOB_S3_ACCESS_KEY_ID, BLOB_S3_SECRET_ACCESS_KEY: set both, or neither for the AWS SDK’s own credentials',
    );
  }
  return {
    bucket,
    ...(endpoint && { endpoint }),
    region: config.BLOB_S3_REGION,
    ...(accessKeyId && secretAccessKey && { credentials: { accessKeyId, secretAccessKey } }),
    forcePathStyle: config.BLOB_S3_FORCE_PATH_STYLE ?? endpoint !== undefined,
    stagingDir: path.join(config.dataDir, 'blobs', 'tmp'),
  };
}

export function openBlobStore(config: Config): OpenedBlobStore {
  const s3 = s3OptionsOf(config);
  if (!s3) return { blobs: createLocalBlobStore(path.join(config.dataDir, 'blobs')), services: [] };
  const blobs = createS3BlobStore(s3);
  return {
    blobs,
    services: [
      {
        name: 'blob store (S3)',
        roles: ['api', 'worker'],
        start: () =>
          blobs.checkAccess().catch((error: unknown) => {
            blobs.close();
            throw error;
          }),
        stop: async () => blobs.close(),
      },
    ],
  };
}
