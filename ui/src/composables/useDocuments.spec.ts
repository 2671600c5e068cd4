/** The live document list (query result + status events), progress, failure reasons and a Q&A pair's checks, without a server. */
import { describe, expect, it } from 'vitest';
import { MAX_QA_ANSWER_CHARS, MAX_QA_QUESTION_CHARS } from '../curation-limits';
import { documentProgress, failureReason, mergeDocuments, qaPairProblem, type KbDocument } from './useDocuments';

const doc = (id: string, changes: Partial<KbDocument> = {}): KbDocument => ({
  id,
  knowledgeBaseId: 'kb',
  name: `${id}.pdf`,
  mediaType: 'application/pdf',
  sizeBytes: 100,
  status: 'uploaded',
  error: null,
  chunkCount: 0,
  embeddedCount: 0,
  revision: 1,
  updatedAt: '2025-01-01T00:00:00.000Z',
  ...changes,
});

const liveOf = (...documents: KbDocument[]) => new Map(documents.map((document) => [document.id, document]));

describe('mergeDocuments', () => {
  it('shows a status event over the listed row, and a new document after the listed ones', () => {
    const listed = [doc('a'), doc('b')];
    const live = liveOf(doc('b', { status: 'embedding', updatedAt: '2025-01-01T00:00:05.000Z' }), doc('c'));
    expect(mergeDocuments(listed, live).map((d) => [d.id, d.status])).toEqual([
      ['a', 'uploaded'],
      ['b', 'embedding'],
      ['c', 'uploaded'],
    ]);
  });

  it('keeps the listed row when it is newer than the event (a reload after the event)', () => {
    const listed = [doc('a', { status: 'indexed', updatedAt: '2025-01-01T00:00:09.000Z' })];
    const stale = liveOf(doc('a', { status: 'embedding', updatedAt: '2025-01-01T00:00:05.000Z' }));
    expect(mergeDocuments(listed, stale)[0]!.status).toBe('indexed');
    const earlierRevision = liveOf(doc('a', { status: 'failed', revision: 0, updatedAt: '2025-01-01T00:00:10.000Z' }));
    expect(mergeDocuments(listed, earlierRevision)[0]!.status).toBe('indexed');
  });

  it('takes a re-index (a newer revision) over a later time of the older one', () => {
    const listed = [doc('a', { status: 'indexed', updatedAt: '2025-01-01T00:00:09.000Z' })];
    const reindexed = liveOf(doc('a', { status: 'uploaded', revision: 2, updatedAt: '2025-01-01T00:00:09.000Z' }));
    expect(mergeDocuments(listed, reindexed)[0]).toMatchObject({ status: 'uploaded', revision: 2 });
  });

  it('drops deleted documents, listed or not', () => {
    const listed = [doc('a'), doc('b')];
    const live = liveOf(doc('a', { status: 'deleted', updatedAt: '2025-01-01T00:00:01.000Z' }), doc('c', { status: 'deleted' }));
    expect(mergeDocuments(listed, live).map((d) => d.id)).toEqual(['b']);
  });
});

describe('documentProgress', () => {
  it('is indeterminate until the chunks are counted, then embedded of all, and full once indexed', () => {
    expect(documentProgress(doc('a', { status: 'parsing' }))).toEqual({ max: 1 });
    expect(documentProgress(doc('a', { status: 'embedding', chunkCount: 40, embeddedCount: 10 }))).toEqual({ value: 10, max: 40 });
    expect(documentProgress(doc('a', { status: 'indexed', chunkCount: 0 }))).toEqual({ value: 1, max: 1 });
  });
});

describe('failureReason', () => {
  it('names the known reasons, with their details', () => {
    expect(failureReason('no text layer: scanned PDF')).toEqual({ key: 'scannedPdf', params: {} });
    expect(failureReason('PDF is encrypted')).toEqual({ key: 'pdfEncrypted', params: {} });
    expect(failureReason('the embedding model text-embedding-3-small failed: HTTP 429: slow down')).toEqual({
      key: 'embeddingFailed',
      params: { model: 'text-embedding-3-small', detail: 'HTTP 429: slow down' },
    });
    expect(failureReason('parsing stopped the worker 3 times: the file is probably malformed')).toEqual({
      key: 'malformed',
      params: { count: '3' },
    });
    expect(failureReason('file could not be read: bad XRef')).toEqual({ key: 'unreadable', params: { detail: 'bad XRef' } });
  });

  it('leaves a reason it does not know to be shown as the server wrote it', () => {
    expect(failureReason('the moon is in the wrong phase')).toBeUndefined();
  });
});

describe('qaPairProblem', () => {
  it('wants a question and an answer, each within the server\'s limit once trimmed', () => {
    expect(qaPairProblem('  ', 'An answer')).toBe('questionRequired');
    expect(qaPairProblem('A question?', '\n ')).toBe('answerRequired');
    expect(qaPairProblem('A question?', 'An answer')).toBeUndefined();
    expect(qaPairProblem(` ${'q'.repeat(MAX_QA_QUESTION_CHARS)} `, 'a'.repeat(MAX_QA_ANSWER_CHARS))).toBeUndefined();
    expect(qaPairProblem('q'.repeat(MAX_QA_QUESTION_CHARS + 1), 'An answer')).toBe('tooLong');
    expect(qaPairProblem('A question?', 'a'.repeat(MAX_QA_ANSWER_CHARS + 1))).toBe('tooLong');
  });
});
