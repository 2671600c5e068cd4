/**
 * Wiring of the blob lock (shared by uploads and the blob collector) and of the collector service (ROLE=worker).
 * Embedded, both sides live in this process: one in-process lock table. On servers each process takes advisory
 * locks on its own connection of DATABASE_URL, so an api process and a worker process exclude each other.
 */
import type { Logger } from 'pino';
import type { EventStore } from '../../contracts/eventstore.ts';
import { blobLockFrom, type BlobLock } from '../../command-side/blobstore/blob-lock.ts';
import type { BlobStore } from '../../command-side/blobstore/blobstore.ts';
import { startBlobCollector, type BlobCollector } from '../../command-side/documents/blob-collector.ts';
import { advisoryLockDocumentClaims } from '../../command-side/ingestion/pipeline/advisory-lock-claims.ts';
import { inProcessDocumentClaims } from '../../command-side/ingestion/pipeline/document-claims.ts';
import { isBlobReferenced } from '../../projections/documents/documents-read-model.ts';
import type { ProjectionRuntime } from '../../projections/runtime/index.ts';
import type { Sql } from '../../contracts/sql.ts';
import type { BackgroundService } from './background-service.ts';

export interface BlobCollection {
  lockBlob: BlobLock;
  /** Runs the collector where ROLE asks for a worker; closes the locks' connection on stop in every role. */
  services: BackgroundService[];
}

export function blobCollection(deps: {
  databaseUrl: string | undefined;
  store: EventStore;
  blobs: BlobStore;
  readModels: Sql;
  runtime: ProjectionRuntime;
  waitTimeoutMs: number;
  logger: Logger;
}): BlobCollection {
  const locks = deps.databaseUrl ? advisoryLockDocumentClaims(deps.databaseUrl, { name: 'blob-locks' }) : inProcessDocumentClaims();
  const lockBlob = blobLockFrom(locks);
  let collector: BlobCollector | undefined;
  return {
    lockBlob,
    services: [
      {
        name: 'blob collector',
        roles: ['worker'],
        async start() {
          collector = await startBlobCollector({
            store: deps.store,
            blobs: deps.blobs,
            lockBlob,
            sql: deps.readModels,
            async isReferenced(sha256, head) {
              await deps.runtime.waitForPosition(head, { projectors: ['documents'], timeoutMs: deps.waitTimeoutMs });
              return isBlobReferenced(deps.readModels, sha256);
            },
            onError: (error) => deps.logger.warn({ err: error }, 'collecting a deleted document’s file failed; retrying'),
          });
        },
        stop: async () => collector?.stop(),
      },
      { name: 'blob locks', roles: ['api', 'worker'], start: async () => undefined, stop: () => locks.close() },
    ],
  };
}
