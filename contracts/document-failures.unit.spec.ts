import { describe, expect, it } from 'vitest';
import { documentFailedAddsCode, failureCodeOfV1Reason } from './document-failures.ts';
import { parseDocumentEvent } from './documents.ts';
import type { RecordedEvent } from './eventstore.ts';

const failed = (data: Record<string, unknown>, metadata: Record<string, unknown> = {}): RecordedEvent => ({
  id: '00000000-0000-4000-8000-000000000002',
  type: 'DocumentFailed',
  data: { documentId: 'd1', revision: 1, step: 'parse', ...data },
  metadata,
  streamId: 'document-d1',
  revision: 2,
  position: '5-1',
  createdAt: '2026-12-05T00:00:00.000Z',
});

describe('DocumentFailed: version 1 (reason only) read as version 2 (code and reason)', () => {
  it.each([
    ['file is empty', 'FILE_EMPTY'],
    ['no text layer: scanned PDF', 'SCANNED_PDF'],
    ['the text could not be split into chunks', 'CHUNKING_FAILED'],
    ['the document contains no text to index', 'NO_TEXT'],
    ['parsing stopped the worker 3 times: the file is probably malformed', 'MALFORMED'],
    ['file could not be read: Invalid XRef stream', 'UNREADABLE'],
    ['the embedding model text-embedding-v2 failed: 429 Too Many Requests', 'EMBEDDING_FAILED'],
    ['processing stopped: chunks of d1 r1 are not well formed', 'PROCESSING_STOPPED'],
    ['the moon was in the wrong phase', 'UNKNOWN'],
  ])('%s -> %s', (reason, code) => {
    expect(failureCodeOfV1Reason(reason)).toBe(code);
    expect(parseDocumentEvent(failed({ reason })).data).toMatchObject({ code, reason });
  });

  it('a version-2 event keeps the code it was written with, whatever its reason says', () => {
    const event = failed({ code: 'PARSE_TIMEOUT', reason: 'file is empty' }, { schemaVersion: 2 });
    expect(parseDocumentEvent(event).data).toMatchObject({ code: 'PARSE_TIMEOUT' });
    expect(documentFailedAddsCode.upcast({ reason: 'file is empty', code: 'PARSE_TIMEOUT' })).toMatchObject({ code: 'PARSE_TIMEOUT' });
  });

  it('a version-2 event without a code is malformed, not guessed at', () => {
    expect(() => parseDocumentEvent(failed({ reason: 'file is empty' }, { schemaVersion: 2 }))).toThrow(/data\.code/);
  });
});
