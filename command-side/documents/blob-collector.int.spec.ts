/**
 * The blob collector against a real event store (PGlite) and a real blob directory: it deletes the file of a deleted
 * document unless a live document still has the bytes, and it waits for an upload that holds the blob's lock, so
 * an upload of the same bytes racing a deletion keeps its file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { comparePositions, type Position } from '../../contracts/position.ts';
import { documentStream } from '../../contracts/streams.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import type { Sql } from '../../contracts/sql.ts';
import { inProcessDocumentClaims } from '../ingestion/pipeline/document-claims.ts';
import { blobLockFrom } from '../blobstore/blob-lock.ts';
import type { BlobStore } from '../blobstore/blobstore.ts';
import { createLocalBlobStore } from '../blobstore/local-blobstore.ts';
import { startBlobCollector, type BlobCollector } from './blob-collector.ts';

let db: TestEventStore & { sql: Sql };
let dir: string;
let blobs: BlobStore;
let collector: BlobCollector | undefined;
beforeEach(async () => {
  db = await openTestEventStore('pglite');
  dir = await mkdtemp(path.join(tmpdir(), 'blob-collector-'));
  blobs = createLocalBlobStore(dir);
});
afterEach(async () => {
  await collector?.stop();
  collector = undefined;
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const uploaded = (documentId: string, sha256: string) =>
  db.store.append(
    documentStream(documentId),
    [
      {
        type: 'DocumentUploaded',
        data: {
          documentId,
          knowledgeBaseId: 'kb-1',
          revision: 1,
          name: `${documentId}.txt`,
          mediaType: 'text/plain',
          sizeBytes: 12,
          sha256,
          uploadedBy: 'user-1',
        },
      },
    ],
    'any',
  );
const deleted = (documentId: string) =>
  db.store.append(
    documentStream(documentId),
    [{ type: 'DocumentDeleted', data: { documentId, knowledgeBaseId: 'kb-1', revision: 1, deletedBy: 'user-1' } }],
    'any',
  );

/** Live = the stream's last event is not DocumentDeleted (what the documents read model says, straight from the log). */
async function isReferenced(sha256: string): Promise<boolean> {
  for (const id of ['doc-x', 'doc-y']) {
    const events = await db.store.readStream(documentStream(id));
    if (events[0]?.data.sha256 === sha256 && events.at(-1)?.type !== 'DocumentDeleted') return true;
  }
  return false;
}

async function until(position: Position): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!collector || comparePositions(collector.position(), position) < 0) {
    if (Date.now() > deadline) throw new Error('the collector did not get there in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('blob collector', () => {
  it('deletes the file of a deleted document nobody else has', async () => {
    const { sha256 } = await blobs.put(new TextEncoder().encode('only here'));
    const lockBlob = blobLockFrom(inProcessDocumentClaims());
    collector = await startBlobCollector({ store: db.store, blobs, lockBlob, sql: db.sql, isReferenced });
    await uploaded('doc-x', sha256);
    const { position } = await deleted('doc-x');
    await until(position);
    expect(await blobs.has(sha256)).toBe(false);
  });

  it('waits for an upload holding the lock, and then keeps the file the upload refers to', async () => {
    const { sha256 } = await blobs.put(new TextEncoder().encode('shared bytes'));
    const lockBlob = blobLockFrom(inProcessDocumentClaims());
    await uploaded('doc-x', sha256);
    const { position } = await deleted('doc-x');
    // An upload of the same bytes has committed the file and not yet appended its event.
    const release = await lockBlob(sha256);
    collector = await startBlobCollector({ store: db.store, blobs, lockBlob, sql: db.sql, isReferenced });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await blobs.has(sha256)).toBe(true);
    expect(comparePositions(collector.position(), position)).toBeLessThan(0);
    await uploaded('doc-y', sha256);
    await release();
    await until(position);
    expect(await blobs.has(sha256)).toBe(true);
  });
});
