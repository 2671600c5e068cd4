/**
 * A log written by the previous code replays into today's read models. ops/testing/fixtures/logs/documents-v1.jsonl
 * holds the kb- and document- streams of a session recorded before DocumentFailed had a code (schema version 1: a
 * reason only, no schemaVersion in the metadata). Appended as they are into a fresh store and projected, the
 * failures come out with the codes their reasons stand for; the decider folds the old streams, and a failure
 * decided now goes in next to them as version 2.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../command-side/decider.ts';
import { documentDecider } from '../../command-side/documents/decider.ts';
import { documentEventId } from '../../command-side/documents/ids.ts';
import { documentStream } from '../../contracts/streams.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { appendAsWritten, readOldLog, type LoggedEvent } from '../../ops/testing/old-logs.ts';
import { createChunksProjector } from '../chunks/projector.ts';
import { listKnowledgeBases } from '../knowledge-bases/knowledge-bases-read-model.ts';
import { knowledgeBasesProjector } from '../knowledge-bases/knowledge-bases-projector.ts';
import { createProjectionRuntime, type ProjectionRuntime } from '../runtime/index.ts';
import { documentsProjector } from './documents-projector.ts';
import { findDocument, listDocuments } from './documents-read-model.ts';


const documentNamed = (log: LoggedEvent[], name: string) =>
  log.find((event) => event.type === 'DocumentUploaded' && event.data.name === name)!.data.documentId as string;

describe('replaying a log the previous code wrote (DocumentFailed version 1)', () => {
  let log: LoggedEvent[];
  let events: TestEventStore & { sql: NonNullable<TestEventStore['sql']> };
  let runtime: ProjectionRuntime;

  beforeAll(async () => {
    log = await readOldLog('documents-v1.jsonl');
    events = await openTestEventStore('pglite');
    await appendAsWritten(events.store, log);
    runtime = createProjectionRuntime({
      sql: events.sql,
      eventStore: events.store,
      projectors: [knowledgeBasesProjector, documentsProjector, createChunksProjector({ dimensions: 8, storeVectors: false })],
      logger: pino({ level: 'silent' }),
    });
    await runtime.start();
    await runtime.waitForPosition(await events.store.headPosition(), { timeoutMs: 30_000 });
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
    await events?.close();
  });

  it('is the old shape: failures with a reason and no code, nothing marked with a schema version', () => {
    const failures = log.filter((event) => event.type === 'DocumentFailed');
    expect(failures.map((event) => event.data.reason)).toEqual(['file is corrupt', 'file is empty']);
    expect(failures.every((event) => !('code' in event.data))).toBe(true);
    expect(log.every((event) => !('schemaVersion' in event.metadata))).toBe(true);
  });

  it('projects every stream: failures carry the codes their reasons stand for', async () => {
    expect(runtime.health().every((projector) => projector.status === 'running')).toBe(true);
    const [knowledgeBase] = await listKnowledgeBases(events.sql, { id: 'admin', role: 'admin' });
    expect(knowledgeBase).toMatchObject({ name: 'Support handbook', documentCount: 2 });
    const documents = await listDocuments(events.sql, knowledgeBase!.id, { includeDeleted: true });
    const byName = Object.fromEntries(documents.map((row) => [row.name, row]));
    expect(byName['returns.md']).toMatchObject({ status: 'indexed', revision: 2, chunkCount: 1, error: null, errorCode: null });
    expect(byName['scan.pdf']).toMatchObject({ status: 'failed', error: 'file is corrupt', errorCode: 'FILE_CORRUPT', failedStep: 'parse' });
    expect(byName['empty.txt']).toMatchObject({ status: 'deleted', error: 'file is empty', errorCode: 'FILE_EMPTY' });
    const [chunk] = await events.sql.query<{ text: string }>(`SELECT text FROM chunks`);
    expect(chunk?.text).toMatch(/^Customers may return any item within 30 days/);
  });

  it('the decider folds the old streams, and a failure decided now is written as version 2 beside them', async () => {
    const scan = documentNamed(log, 'scan.pdf');
    const stream = documentStream(scan);
    const folded = await handleCommand(events.store, stream, documentDecider, { type: 'ReindexDocument', data: { requestedBy: 'u1' } }, { eventId: documentEventId });
    expect(folded.state).toMatchObject({ status: 'uploaded', revision: 2 });
    await handleCommand(events.store, stream, documentDecider, { type: 'StartParsing', data: { revision: 2 } }, { eventId: documentEventId });
    const failed = await handleCommand(
      events.store,
      stream,
      documentDecider,
      { type: 'FailDocument', data: { revision: 2, step: 'parse', code: 'SCANNED_PDF', reason: 'no text layer: scanned PDF' } },
      { eventId: documentEventId },
    );
    const [written] = await events.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    expect(written).toMatchObject({ type: 'DocumentFailed', metadata: { schemaVersion: 2 }, data: { code: 'SCANNED_PDF' } });
    await runtime.waitForPosition(failed.position!, { timeoutMs: 10_000 });
    expect(await findDocument(events.sql, scan)).toMatchObject({ status: 'failed', revision: 2, errorCode: 'SCANNED_PDF' });
  });
});
