/** addQaPair's wait for its pair: the first chunk once indexed and in the index, its failure, or UNAVAILABLE in time. */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../contracts/errors.ts';
import type { DocumentChunkRow } from '../../projections/chunks/document-chunks.ts';
import { indexedFirstChunk, type PairLookups } from './chunk-curation.ts';

const chunk: DocumentChunkRow = {
  id: 'doc-1:1:0',
  documentId: 'doc-1',
  knowledgeBaseId: 'kb-1',
  revision: 1,
  ordinal: 0,
  text: 'Hold the button.',
  headingPath: ['How?'],
  page: null,
  tokenCount: 3,
  enabled: true,
};

type Row = Awaited<ReturnType<PairLookups['document']>>;
const row = (status: string, changes: Partial<NonNullable<Row>> = {}): Row =>
  ({ status, revision: 1, error: null, errorCode: null, failedStep: null, ...changes }) as Row;

/** Lookups that answer each state in turn (the last one for ever), and a chunk once `chunkFrom` reads have passed. */
function scripted(states: Row[], chunkFrom = 0): PairLookups & { asked: string[] } {
  const asked: string[] = [];
  let reads = 0;
  let chunkReads = 0;
  return {
    asked,
    document: async () => states[Math.min(reads++, states.length - 1)],
    chunk: async (id) => {
      asked.push(id);
      return chunkReads++ >= chunkFrom ? chunk : undefined;
    },
  };
}

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

describe('indexedFirstChunk', () => {
  it('answers the first chunk of the current revision once indexed and in the search index', async () => {
    const lookups = scripted([undefined, row('uploaded'), row('embedding'), row('indexed')], 1);
    expect(await indexedFirstChunk(lookups, 'doc-1', 5_000)).toEqual(chunk);
    expect(lookups.asked).toEqual(['doc-1:1:0', 'doc-1:1:0']);
  });

  it('asks for the chunk of the revision the document is at', async () => {
    const lookups = scripted([row('indexed', { revision: 3 })]);
    await indexedFirstChunk(lookups, 'doc-1', 5_000);
    expect(lookups.asked).toEqual(['doc-1:3:0']);
  });

  it('is the failure of a pair the pipeline failed, with its code', async () => {
    const failed = await failure(indexedFirstChunk(scripted([row('parsing'), row('failed', { error: 'the embedding model m failed: down', errorCode: 'EMBEDDING_FAILED', failedStep: 'embed' })]), 'doc-1', 5_000));
    expect(failed.code).toBe('UNAVAILABLE');
    expect(failed.details).toEqual({ documentId: 'doc-1', failureCode: 'EMBEDDING_FAILED', failedStep: 'embed' });
    expect(failed.message).toContain('could not be indexed: the embedding model m failed');
    const broken = await failure(indexedFirstChunk(scripted([row('failed', { error: 'no text', errorCode: 'NO_TEXT', failedStep: 'chunk' })]), 'doc-1', 5_000));
    expect(broken.code).toBe('INTERNAL');
  });

  it('is UNAVAILABLE, naming the document and its status, when not indexed in time', async () => {
    const started = Date.now();
    const late = await failure(indexedFirstChunk(scripted([row('embedding')]), 'doc-1', 400));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(late.code).toBe('UNAVAILABLE');
    expect(late.details).toEqual({ documentId: 'doc-1', status: 'embedding' });
    expect(late.message).toContain('not searchable yet');
    // Indexed but the chunk never shows: still a timeout, not a wrong answer.
    expect((await failure(indexedFirstChunk(scripted([row('indexed')], Number.MAX_SAFE_INTEGER), 'doc-1', 300))).code).toBe('UNAVAILABLE');
  });
});
