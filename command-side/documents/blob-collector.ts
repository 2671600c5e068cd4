/**
 * Deletes the stored file of a deleted document once no live document refers to it (the same bytes may be a
 * document of another knowledge base, or uploaded again since). A reactor on DocumentDeleted with its own
 * checkpoint: a crash repeats at most one batch, and deleting twice is harmless. Each check runs under the blob's
 * lock (blob-lock.ts), so an upload of the same bytes either finished before it (and is seen) or starts after it
 * (and stores the bytes again).
 * The log keeps the document's events (its chunk texts among them): this frees the file, it does not erase them.
 */
import type { EventStore, EventSubscription } from '../../contracts/eventstore.ts';
import { START, type Position } from '../../contracts/position.ts';
import { documentStream } from '../../contracts/streams.ts';
import { ensureTable } from '../../ops/sql/ensure-table.ts';
import type { Sql } from '../../ops/sql/types.ts';
import type { BlobLock } from '../blobstore/blob-lock.ts';
import type { BlobStore } from '../blobstore/blobstore.ts';

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

export interface BlobCollector {
  /** Position of the last DocumentDeleted fully handled. */
  position(): Position;
  stop(): Promise<void>;
}

async function readCheckpoint(sql: Sql): Promise<Position> {
  await ensureTable(sql, `CREATE TABLE IF NOT EXISTS reactor_checkpoints (reactor text PRIMARY KEY, position text NOT NULL)`);
  const rows = await sql.query<{ position: string }>(`SELECT position FROM reactor_checkpoints WHERE reactor = $1`, [REACTOR]);
  return rows[0]?.position ?? START;
}

const writeCheckpoint = (sql: Sql, position: Position) =>
  sql.query(
    `INSERT INTO reactor_checkpoints (reactor, position) VALUES ($1, $2)
     ON CONFLICT (reactor) DO UPDATE SET position = EXCLUDED.position`,
    [REACTOR, position],
  );

export async function startBlobCollector(deps: BlobCollectorDeps): Promise<BlobCollector> {
  let position = await readCheckpoint(deps.sql);
  const subscription: EventSubscription = deps.store.subscribeToAll({
    after: position,
    filter: { eventTypes: ['DocumentDeleted'], streamPrefixes: [documentStream('')] },
  });
  let stopped = false;

  async function collect(documentId: string): Promise<void> {
    const [uploaded] = await deps.store.readStream(documentStream(documentId), { maxCount: 1 });
    const sha256 = uploaded?.data.sha256;
    if (typeof sha256 !== 'string') return;
    const release = await deps.lockBlob(sha256);
    try {
      if (!(await deps.isReferenced(sha256, await deps.store.headPosition()))) await deps.blobs.delete(sha256);
    } finally {
      await release();
    }
  }

  const loop = (async () => {
    while (!stopped) {
      const batch = await subscription.nextBatch(100);
      if (batch.length === 0) break;
      for (const event of batch) {
        // A failure (database or storage down) retries the same event: skipping it would keep the file forever.
        for (let attempt = 0; !stopped; attempt++) {
          try {
            await collect(String(event.data.documentId));
            position = event.position;
            await writeCheckpoint(deps.sql, position);
            break;
          } catch (error) {
            deps.onError?.(error);
            await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)));
          }
        }
      }
    }
  })();
  return {
    position: () => position,
    async stop() {
      stopped = true;
      await subscription.close();
      await loop;
    },
  };
}
