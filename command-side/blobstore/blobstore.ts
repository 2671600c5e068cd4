/**
 * Content-addressed blob storage for uploaded files: a blob's name is the sha256 of its bytes, so the same file is
 * stored once and the log can refer to it by hash. Small on purpose, so an S3-compatible store can implement it too.
 */
export interface BlobRef {
  /** 64 lowercase hex digits. */
  sha256: string;
  sizeBytes: number;
}

export interface PutStreamOptions {
  /** Stops reading and throws BlobTooLargeError once more bytes than this arrive. */
  maxBytes?: number;
}

export interface BlobStore {
  put(bytes: Uint8Array): Promise<BlobRef>;
  /** Hashes while it writes: the whole file is never held in memory. Nothing is kept when the source fails. */
  putStream(source: AsyncIterable<Uint8Array>, options?: PutStreamOptions): Promise<BlobRef>;
  /** Throws BlobNotFoundError when absent. */
  get(sha256: string): Promise<Uint8Array>;
  has(sha256: string): Promise<boolean>;
  /** No-op when absent. */
  delete(sha256: string): Promise<void>;
}

export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
  constructor(readonly sha256: string) {
    super(`blob ${sha256} is not in the blob store`);
  }
}

export class BlobTooLargeError extends Error {
  override name = 'BlobTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`file is larger than ${maxBytes} bytes`);
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

export function assertSha256(sha256: string): void {
  if (!SHA256.test(sha256)) throw new TypeError(`not a sha256 hex digest: ${JSON.stringify(sha256)}`);
}
