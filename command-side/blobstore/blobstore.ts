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

/** Bytes written and hashed but not yet in the store: nobody can get() them until commit(). */
export interface StagedBlob extends BlobRef {
  bytes(): Promise<Uint8Array>;
  /** Puts the blob in place (same content, same name: committing over an existing blob is harmless). */
  commit(): Promise<BlobRef>;
  /** Forgets the bytes; the store is as it was. */
  discard(): Promise<void>;
}

export interface BlobStore {
  put(bytes: Uint8Array): Promise<BlobRef>;
  /** Hashes while it writes: the whole file is never held in memory. Nothing is kept when the source fails. */
  putStream(source: AsyncIterable<Uint8Array>, options?: PutStreamOptions): Promise<BlobRef>;
  /**
   * As putStream, but the caller looks at the bytes before they are stored (an upload of an unknown type is
   * refused without leaving a blob behind, and without touching a stored blob of the same content).
   */
  stageStream(source: AsyncIterable<Uint8Array>, options?: PutStreamOptions): Promise<StagedBlob>;
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

/** put and putStream as every store has them: stage, then commit at once. */
export function putsOf(stageStream: BlobStore['stageStream']): Pick<BlobStore, 'put' | 'putStream'> {
  const putStream: BlobStore['putStream'] = async (source, options) => (await stageStream(source, options)).commit();
  return {
    put: (bytes) =>
      putStream(
        (async function* () {
          yield bytes;
        })(),
      ),
    putStream,
  };
}
