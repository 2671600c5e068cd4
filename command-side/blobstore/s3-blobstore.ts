/**
 * BlobStore on an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Garage…), so api and worker processes on different
 * hosts share the uploaded files. A blob is the object `blobs/<sha256>`.
 *
 * An upload is staged in a local file of this process (hashed while it is written, and the upload route reads its
 * bytes before deciding to keep it), then streamed from that file to the bucket in one PUT on commit: the file is
 * never held in memory, and the object appears whole or not at all. The PUT carries the SHA-256 we computed, so a
 * server that checks checksums refuses bytes that changed on the way.
 */
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { assertSha256, BlobNotFoundError, putsOf, type BlobStore, type PutStreamOptions, type StagedBlob } from './blobstore.ts';
import { codeOf, s3Failure, statusOf, type S3Location } from './s3-failures.ts';
import { writeStagingFile } from './staging-file.ts';

export interface S3BlobStoreOptions {
  bucket: string;
  /** e.g. http://minio:9000; undefined = AWS S3 in `region`. */
  endpoint?: string;
  region: string;
  /** Undefined: the SDK's default chain (AWS_* variables, the instance's role…). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** http://endpoint/bucket/key rather than http://bucket.endpoint/key (most self-hosted servers need it). */
  forcePathStyle: boolean;
  /** Local directory where uploads wait, hashed, until they are committed or discarded. */
  stagingDir: string;
}

export interface S3BlobStore extends BlobStore {
  /** Throws an S3BlobStoreError unless the bucket exists and these credentials may read it (checked at start-up). */
  checkAccess(): Promise<void>;
  close(): void;
}

const KEY_PREFIX = 'blobs/';
/** Never written (not a sha256): reading it tells whether the bucket answers, without touching a blob. */
const ACCESS_CHECK_KEY = `${KEY_PREFIX}access-check`;

const isMissingKey = (error: unknown) => codeOf(error) === 'NoSuchKey' || codeOf(error) === 'NotFound';

export function createS3BlobStore(options: S3BlobStoreOptions): S3BlobStore {
  const client = new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint && { endpoint: options.endpoint }),
    ...(options.credentials && { credentials: options.credentials }),
    // Recent SDKs add CRC32 checksums sent as aws-chunked trailers by default, which many S3-compatible servers
    // refuse; commit() sends the SHA-256 it already has instead.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // An unreachable endpoint fails an upload in seconds rather than hanging it; a stalled transfer after a minute.
    requestHandler: { connectionTimeout: 5_000, socketTimeout: 60_000 },
  });
  const { bucket } = options;
  const where: S3Location = { bucket, endpoint: options.endpoint ?? `AWS S3 in ${options.region}` };
  const keyOf = (sha256: string) => {
    assertSha256(sha256);
    return `${KEY_PREFIX}${sha256}`;
  };

  /** The stored object's size, or undefined when there is none. */
  async function storedSize(sha256: string): Promise<number | undefined> {
    const key = keyOf(sha256);
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return head.ContentLength;
    } catch (error) {
      // A HEAD has no body, so a missing bucket is a bare 404 too: checkAccess() tells them apart at start-up.
      if (statusOf(error) === 404) return undefined;
      throw s3Failure(error, `look up blob ${sha256}`, where);
    }
  }

  async function upload(file: string, sha256: string, sizeBytes: number): Promise<void> {
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: keyOf(sha256),
          Body: createReadStream(file),
          ContentLength: sizeBytes,
          ContentType: 'application/octet-stream',
          ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
        }),
      );
    } catch (error) {
      throw s3Failure(error, `store blob ${sha256}`, where);
    }
  }

  async function stageStream(source: AsyncIterable<Uint8Array>, stageOptions: PutStreamOptions = {}): Promise<StagedBlob> {
    const { path: file, sha256, sizeBytes } = await writeStagingFile(options.stagingDir, source, stageOptions);
    const discard = () => rm(file, { force: true });
    return {
      sha256,
      sizeBytes,
      bytes: async () => new Uint8Array(await readFile(file)),
      async commit() {
        try {
          // Same content, same name: a blob already stored whole is not sent again (an upload of a known file).
          if ((await storedSize(sha256)) !== sizeBytes) await upload(file, sha256, sizeBytes);
        } finally {
          await discard();
        }
        return { sha256, sizeBytes };
      },
      discard,
    };
  }

  return {
    ...putsOf(stageStream),
    stageStream,
    async get(sha256) {
      const key = keyOf(sha256);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await object.Body!.transformToByteArray();
      } catch (error) {
        if (codeOf(error) === 'NoSuchKey') throw new BlobNotFoundError(sha256);
        throw s3Failure(error, `read blob ${sha256}`, where);
      }
    },
    has: async (sha256) => (await storedSize(sha256)) !== undefined,
    async delete(sha256) {
      const key = keyOf(sha256);
      try {
        // S3 answers a DELETE of a missing key with success: nothing to handle for "absent".
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        throw s3Failure(error, `delete blob ${sha256}`, where);
      }
    },
    async checkAccess() {
      try {
        const found = await client.send(new GetObjectCommand({ Bucket: bucket, Key: ACCESS_CHECK_KEY }));
        // Someone stored an object under that name: reading is allowed; its body is not wanted.
        (found.Body as Readable | undefined)?.destroy();
      } catch (error) {
        // NoSuchKey: the bucket is there and we may read it. Without list permission S3 says AccessDenied instead,
        // and a missing blob would then look like a refusal everywhere: that is reported too.
        if (isMissingKey(error)) return;
        throw s3Failure(error, 'read objects', where);
      }
    },
    close: () => client.destroy(),
  };
}
