/**
 * A lock per blob between whoever makes a blob referenced (an upload: commit the bytes, then append
 * DocumentUploaded) and whoever deletes unreferenced blobs (blob-collector.ts: check the references, then delete).
 * Without it a collector could check, an upload of the same bytes commit and append, and the collector then delete
 * the file the new document needs.
 */

/** Resolves with the release once this process holds the blob's lock. */
export type BlobLock = (sha256: string, signal?: AbortSignal) => Promise<() => Promise<void>>;

/** What a BlobLock needs of a try-lock (the pipeline's document claims are one). */
interface TryLock {
  claim(key: string, signal?: AbortSignal): Promise<{ release(): Promise<void> } | undefined>;
}

/** A blocking lock from a try-lock: tries again every `retryMs` until granted (or `signal` aborts: throws). */
export function blobLockFrom(locks: TryLock, retryMs = 50): BlobLock {
  return async (sha256, signal) => {
    for (;;) {
      signal?.throwIfAborted();
      const claim = await locks.claim(`blob:${sha256}`, signal);
      if (claim) return () => claim.release();
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  };
}
