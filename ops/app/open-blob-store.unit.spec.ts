import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.ts';
import { openBlobStore, s3OptionsOf } from './open-blob-store.ts';

const config = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/srv/ka', ...env });
const minio = { BLOB_S3_ENDPOINT: 'http://minio:9000', BLOB_S3_BUCKET: 'ka-blobs', BLOB_S3_ACCESS_KEY_ID: 'ka', BLOB_S3_SECRET_ACCESS_KEY: 'secret' };

describe('which blob store the configuration picks', () => {
  it('the local directory without a bucket, with nothing to check at start-up', () => {
    expect(s3OptionsOf(config({}))).toBeUndefined();
    expect(openBlobStore(config({})).services).toEqual([]);
  });

  it('an S3-compatible server: path-style requests, the given keys, uploads staged under DATA_DIR', () => {
    expect(s3OptionsOf(config(minio))).toEqual({
      bucket: 'ka-blobs',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      credentials: { accessKeyId: 'ka', secretAccessKey: 'secret' },
      forcePathStyle: true,
      stagingDir: path.resolve('/srv/ka', 'blobs', 'tmp'),
    });
    expect(s3OptionsOf(config({ ...minio, BLOB_S3_FORCE_PATH_STYLE: 'false' }))?.forcePathStyle).toBe(false);
  });

  it('a bucket alone is AWS S3 in BLOB_S3_REGION, virtual-hosted, with the SDK’s own credentials', () => {
    const options = s3OptionsOf(config({ BLOB_S3_BUCKET: 'ka-blobs', BLOB_S3_REGION: 'eu-west-1' }));
    expect(options).toMatchObject({ bucket: 'ka-blobs', region: 'eu-west-1', forcePathStyle: false });
    expect(options).not.toHaveProperty('endpoint');
    expect(options).not.toHaveProperty('credentials');
  });

  it('with a bucket, the roles that read and write blobs check it at start-up', () => {
    const opened = openBlobStore(config(minio));
    expect(opened.services.map((service) => [service.name, service.roles])).toEqual([['blob store (S3)', ['api', 'worker']]]);
  });

  it('refuses half a configuration, naming what is missing', () => {
    const { BLOB_S3_BUCKET: _bucket, ...endpointOnly } = minio;
    expect(() => s3OptionsOf(config(endpointOnly))).toThrow(ConfigError);
    expect(() => s3OptionsOf(config(endpointOnly))).toThrow(/BLOB_S3_BUCKET: must be set with BLOB_S3_ENDPOINT/);
    const { BLOB_S3_SECRET_ACCESS_KEY: _secret, ...keyIdOnly } = minio;
    expect(() => s3OptionsOf(config(keyIdOnly))).toThrow(/BLOB_S3_ACCESS_KEY_ID, BLOB_S3_SECRET_ACCESS_KEY: set both/);
    expect(() => config({ ...minio, BLOB_S3_ENDPOINT: 'minio:9000' })).toThrow(/BLOB_S3_ENDPOINT: must start with http:\/\/ or https:\/\//);
    expect(() => config({ ...minio, BLOB_S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/BLOB_S3_FORCE_PATH_STYLE/);
  });
});
