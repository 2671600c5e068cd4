import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkIdOf, packVectors } from '../../contracts/documents.ts';
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { createTestPglite } from '../../ops/testing/databases.ts';
import type { Sql } from '../../contracts/sql.ts';
import { documentsProjector } from './documents-projector.ts';
import { findDocument, listDocuments } from './documents-read-model.ts';
import { DocumentStatusFeed, documentStatusFeed } from './status-feed.ts';

const documentId = 'doc-1';
let streamRevision = 0;
const recorded = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: `e-${streamRevision}`,
  type,
  data: { documentId, revision: 1, ...data },
  metadata: {},
  streamId: `document-${documentId}`,
  revision: streamRevision,
  position: `1-${streamRevision++}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, streamRevision)).toISOString(),
});
const chunkIds = [0, 1, 2].map((i) => chunkIdOf(documentId, 1, i));
const lifecycle = () => [
  recorded('DocumentUploaded', { knowledgeBaseId: 'kb-1', name: 'a.md', mediaType: 'text/markdown', sizeBytes: 9, sha256: 'f'.repeat(64), uploadedBy: 'u1' }),
  recorded('DocumentParsingStarted', { attempt: 1 }),
  recorded('DocumentParsed', { blockCount: 2, pageCount: 0, charCount: 40 }),
  recorded('DocumentChunked', {
    knowledgeBaseId: 'kb-1',
    documentName: 'a.md',
    part: 1,
    parts: 1,
    totalChunks: 3,
    chunks: chunkIds.map((chunkId, index) => ({ chunkId, index, text: `t${index}`, headingPath: [], tokenCount: 1 })),
  }),
  recorded('ChunksEmbedded', { model: 'm', dimensions: 2, chunkIds: chunkIds.slice(0, 2), vectors: packVectors([[1, 0], [0, 1]], 2) }),
  recorded('ChunksEmbedded', { model: 'm', dimensions: 2, chunkIds: chunkIds.slice(2), vectors: packVectors([[1, 1]], 2) }),
  recorded('DocumentIndexed', { chunkCount: 3, model: 'm', dimensions: 2 }),
];

describe('documents projector', () => {
  let sql: Sql;
  const run = (events: RecordedEvent[], rebuilding = false) =>
    sql.transaction((tx) => documentsProjector.handle(events, tx, { projector: 'documents', rebuilding }));

  beforeAll(async () => {
    sql = await createTestPglite();
    for (const migration of documentsProjector.migrations) await sql.exec(migration.sql);
  });
  afterAll(async () => {
    await sql?.close();
  });

  it('follows the lifecycle, and replaying every event again changes nothing', async () => {
    const events = lifecycle();
    await run(events);
    const row = await findDocument(sql, documentId);
    expect(row).toMatchObject({ status: 'indexed', chunkCount: 3, embeddedCount: 3, revision: 1, error: null, name: 'a.md' });
    expect(row!.updatedAt).toBe(events.at(-1)!.createdAt);
    const feed = documentStatusFeed.take(events);
    expect(feed.map((r) => [r.status, r.embeddedCount])).toEqual([
      ['uploaded', 0],
      ['parsing', 0],
      ['chunking', 0],
      ['embedding', 0],
      ['embedding', 2],
      ['embedding', 3],
      ['indexed', 3],
    ]);
    await run(events);
    expect(await findDocument(sql, documentId)).toEqual(row);
    expect(documentStatusFeed.take(events)).toEqual([]);
  });

  it('resets on reindex, fails with the reason, hides deleted documents, and comes back on a new upload', async () => {
    await run([recorded('DocumentReindexRequested', { revision: 2, requestedBy: 'u1', cause: 'replace', name: 'b.md' })]);
    expect(await findDocument(sql, documentId)).toMatchObject({ status: 'uploaded', revision: 2, chunkCount: 0, embeddedCount: 0, name: 'b.md' });
    // As schema version 1 wrote it (no code, no schemaVersion): read with the code its reason stands for.
    await run([recorded('DocumentFailed', { revision: 2, step: 'parse', reason: 'PDF is encrypted' })]);
    expect(await findDocument(sql, documentId)).toMatchObject({
      status: 'failed',
      error: 'PDF is encrypted',
      errorCode: 'PDF_ENCRYPTED',
      failedStep: 'parse',
    });
    await run([recorded('DocumentDeleted', { revision: 2, knowledgeBaseId: 'kb-1', deletedBy: 'u1' })], true);
    expect(await listDocuments(sql, 'kb-1')).toEqual([]);
    expect((await listDocuments(sql, 'kb-1', { includeDeleted: true }))[0]!.status).toBe('deleted');
    await run([recorded('DocumentUploaded', { revision: 3, knowledgeBaseId: 'kb-1', name: 'c.md', mediaType: 'text/markdown', sizeBytes: 9, sha256: 'f'.repeat(64), uploadedBy: 'u2' })]);
    expect(await findDocument(sql, documentId)).toMatchObject({ status: 'uploaded', revision: 3, error: null, errorCode: null, name: 'c.md' });
  });

  it('a status feed forgets notes nobody takes, without growing without bound', () => {
    const feed = new DocumentStatusFeed();
    const row = { id: 'x', knowledgeBaseId: 'k' } as never;
    for (let i = 0; i < 20_000; i++) feed.note(`e${i}`, row);
    expect(feed.take([{ id: 'e19999' } as RecordedEvent])).toHaveLength(1);
    expect(feed.take([{ id: 'e0' } as RecordedEvent])).toEqual([]);
  });
});
