/**
 * Deletes the stored file of a deleted document once no live document refers to it (the same bytes may be a
 * document of another knowledge base, or uploaded again since). A reactor (../reactor.ts) on DocumentDeleted: a
 * crash repeats at most one batch, and checking and deleting twice is harmless. Each check runs under the blob's
 * lock (blob-lock.ts), so an upload of the same bytes either finished before it (and is seen) or starts after it
 * (and stores the bytes again).
 * The log keeps the document's events (its chunk texts among them): this frees the file, it does not erase them.
 */
import type { EventStore } from '../../contracts/eventstore.ts';
import type { Position } from '../../contracts/position.ts';
import { parseDocumentEvent, parseDocumentUploaded } from '../../contracts/documents.ts';
import { documentStream } from '../../contracts/streams.ts';
import type { Sql } from '../../contracts/sql.ts';
import type { BlobLock } from '../blobstore/blob-lock.ts';
import type { BlobStore } from '../blobstore/blobstore.ts';
import { startReactor, type Reactor } from '../reactor.ts';

const REACTOR = 'blob-collector';

export interface BlobCollectorDeps {
  store: EventStore;
  blobs: BlobStore;
  lockBlob: BlobLock;
  /** Holds the reactor's checkpoint (the read-model database). */
  sql: Sql;
  /**
   * Whether a live document refers to the blob, counting every event up to `head` (the caller waits for its read
   * model to reach it).
   */
  isReferenced(sha256: string, head: Position): Promise<boolean>;
  onError?: (error: unknown) => void;
}

/** Position of the last DocumentDeleted fully handled, and stop. */
export type BlobCollector = Reactor;

export function startBlobCollector(deps: BlobCollectorDeps): Promise<BlobCollector> {
  async function collect(documentId: string): Promise<void> {
    const [first] = await deps.store.readStream(documentStream(documentId), { maxCount: 1 });
    if (!first) return;
    const { sha256 } = parseDocumentUploaded(first).data;
    const release = await deps.lockBlob(sha256);
    try {
      if (!(await deps.isReferenced(sha256, await deps.store.headPosition()))) await deps.blobs.delete(sha256);
    } finally {
      await release();
    }
  }

  return startReactor({
    name: REACTOR,
    store: deps.store,
    sql: deps.sql,
    filter: { eventTypes: ['DocumentDeleted'], streamPrefixes: [documentStream('')] },
    // A failure (database or storage down) retries the batch: skipping it would keep the file forever.
    async handle(batch) {
      for (const event of batch) await collect(parseDocumentEvent(event).data.documentId);
    },
    ...(deps.onError && { onError: deps.onError }),
  });
}
