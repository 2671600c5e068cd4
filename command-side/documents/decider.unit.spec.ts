import { describe, expect, it } from 'vitest';
import { chunkIdOf, packVectors } from '../../contracts/documents.ts';
import type { DocumentChunked, DocumentEvent } from '../../contracts/documents.ts';
import { DomainError } from '../../contracts/errors.ts';
import type { DocumentCommand } from './commands.ts';
import { MAX_PARSE_ATTEMPTS } from './decide.ts';
import { documentDecider } from './decider.ts';

/** given(events).when(command).then(events | error code), in the Emmett style. */
const spec = (given: DocumentEvent[]) => ({
  when: (command: DocumentCommand) => {
    const run = () => documentDecider.decide(command, given.reduce(documentDecider.evolve, documentDecider.initialState()));
    return {
      then: (expected: DocumentEvent[]) => expect(run()).toEqual(expected),
      thenThrows: (code: string) => {
        try {
          run();
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe(code);
          return;
        }
        expect.unreachable(`expected ${code}`);
      },
    };
  },
});

const documentId = 'doc-1';
const file = { name: 'guide.pdf', mediaType: 'application/pdf', sizeBytes: 10, sha256: 'a'.repeat(64) };
const uploaded = (revision = 1): DocumentEvent => ({
  type: 'DocumentUploaded',
  data: { documentId, knowledgeBaseId: 'kb-1', revision, ...file, uploadedBy: 'u1' },
});
const upload = (replace = false, name = file.name): DocumentCommand => ({
  type: 'UploadDocument',
  data: { documentId, knowledgeBaseId: 'kb-1', ...file, name, uploadedBy: 'u1', replace },
});
const parsingStarted = (attempt = 1, revision = 1): DocumentEvent => ({
  type: 'DocumentParsingStarted',
  data: { documentId, revision, attempt },
});
const parsed = (revision = 1): DocumentEvent => ({
  type: 'DocumentParsed',
  data: { documentId, revision, blockCount: 3, pageCount: 1, charCount: 30 },
});
const part = (revision: number, count: number): DocumentChunked['data'] => ({
  documentId,
  knowledgeBaseId: 'kb-1',
  documentName: file.name,
  revision,
  part: 1,
  parts: 1,
  totalChunks: count,
  chunks: Array.from({ length: count }, (_, index) => ({
    chunkId: chunkIdOf(documentId, revision, index),
    index,
    text: `chunk ${index}`,
    headingPath: [],
    tokenCount: 2,
  })),
});
const chunked = (revision = 1, count = 3): DocumentEvent => ({ type: 'DocumentChunked', data: part(revision, count) });
const embeddings = (indexes: number[], revision = 1) => ({
  documentId,
  revision,
  model: 'local',
  dimensions: 2,
  chunkIds: indexes.map((i) => chunkIdOf(documentId, revision, i)),
  vectors: packVectors(
    indexes.map(() => [1, 0]),
    2,
  ),
});
const embed = (indexes: number[], revision = 1): DocumentCommand => ({
  type: 'RecordEmbeddings',
  data: embeddings(indexes, revision),
});
const pipeline = [uploaded(), parsingStarted(), parsed(), chunked()];

describe('document decider: upload', () => {
  it('records a first upload as revision 1', () => spec([]).when(upload()).then([uploaded(1)]));
  it('recognises the same file again and decides nothing', () => spec(pipeline).when(upload()).then([]));
  it('replaces: a new revision under the new name', () =>
    spec(pipeline)
      .when(upload(true, 'guide-v2.pdf'))
      .then([
        {
          type: 'DocumentReindexRequested',
          data: { documentId, revision: 2, requestedBy: 'u1', cause: 'replace', name: 'guide-v2.pdf' },
        },
      ]));
  it('uploads again after a delete with the next revision', () =>
    spec([uploaded(), { type: 'DocumentDeleted', data: { documentId, knowledgeBaseId: 'kb-1', revision: 1, deletedBy: 'u1' } }])
      .when(upload())
      .then([uploaded(2)]));
});

describe('document decider: pipeline steps', () => {
  it('starts parsing, counting attempts', () => spec([uploaded()]).when({ type: 'StartParsing', data: { revision: 1 } }).then([parsingStarted(1)]));
  it('gives up on a file that kept killing the worker', () =>
    spec([uploaded(), ...Array.from({ length: MAX_PARSE_ATTEMPTS }, (_, i) => parsingStarted(i + 1))])
      .when({ type: 'StartParsing', data: { revision: 1 } })
      .then([
        {
          type: 'DocumentFailed',
          data: {
            documentId,
            revision: 1,
            step: 'parse',
            code: 'MALFORMED',
            reason: `parsing stopped the worker ${MAX_PARSE_ATTEMPTS} times: the file is probably malformed`,
          },
        },
      ]));
  it('records the parse once', () => {
    const command: DocumentCommand = { type: 'RecordParsed', data: { revision: 1, blockCount: 3, pageCount: 1, charCount: 30 } };
    spec([uploaded(), parsingStarted()]).when(command).then([parsed()]);
    spec([uploaded(), parsingStarted(), parsed()]).when(command).then([]);
  });
  it('records all chunk parts at once', () =>
    spec([uploaded(), parsingStarted(), parsed()])
      .when({ type: 'RecordChunks', data: { revision: 1, parts: [part(1, 3)] } })
      .then([chunked()]));
  it('fails a document without text', () =>
    spec([uploaded(), parsingStarted(), parsed()])
      .when({ type: 'RecordChunks', data: { revision: 1, parts: [part(1, 0)] } })
      .then([
        {
          type: 'DocumentFailed',
          data: { documentId, revision: 1, step: 'chunk', code: 'NO_TEXT', reason: 'the document contains no text to index' },
        },
      ]));
  it('rejects chunk ids that are not the deterministic ones', () => {
    const bad = part(1, 2);
    bad.chunks[1]!.chunkId = 'x';
    spec([uploaded(), parsingStarted(), parsed()]).when({ type: 'RecordChunks', data: { revision: 1, parts: [bad] } }).thenThrows('BAD_USER_INPUT');
  });
  it('records embedding batches and indexes with the last one', () => {
    spec(pipeline).when(embed([0, 1])).then([{ type: 'ChunksEmbedded', data: embeddings([0, 1]) }]);
    spec([...pipeline, { type: 'ChunksEmbedded', data: embeddings([0, 1]) }])
      .when(embed([2]))
      .then([
        { type: 'ChunksEmbedded', data: embeddings([2]) },
        { type: 'DocumentIndexed', data: { documentId, revision: 1, chunkCount: 3, model: 'local', dimensions: 2 } },
      ]);
  });
  it('ignores a repeated batch and refuses an overlapping or unknown one', () => {
    const given = [...pipeline, { type: 'ChunksEmbedded', data: embeddings([0, 1]) } as DocumentEvent];
    spec(given).when(embed([0, 1])).then([]);
    spec(given).when(embed([1, 2])).thenThrows('CONFLICT');
    spec(given).when(embed([7])).thenThrows('BAD_USER_INPUT');
  });
  it('drops work of a superseded revision', () => {
    const reindexed: DocumentEvent = {
      type: 'DocumentReindexRequested',
      data: { documentId, revision: 2, requestedBy: 'u1', cause: 'reindex' },
    };
    spec([...pipeline, reindexed]).when(embed([0])).then([]);
    spec([...pipeline, reindexed]).when({ type: 'FailDocument', data: { revision: 1, step: 'embed', code: 'EMBEDDING_FAILED', reason: 'x' } }).then([]);
  });
  it('fails the current revision with a code and a reason', () =>
    spec([uploaded(), parsingStarted()])
      .when({ type: 'FailDocument', data: { revision: 1, step: 'parse', code: 'PDF_ENCRYPTED', reason: 'PDF is encrypted' } })
      .then([{ type: 'DocumentFailed', data: { documentId, revision: 1, step: 'parse', code: 'PDF_ENCRYPTED', reason: 'PDF is encrypted' } }]));
});

describe('document decider: reindex and delete', () => {
  it('reindexes with the next revision', () =>
    spec([...pipeline, { type: 'DocumentFailed', data: { documentId, revision: 1, step: 'embed', code: 'EMBEDDING_FAILED', reason: 'x' } }])
      .when({ type: 'ReindexDocument', data: { requestedBy: 'u1' } })
      .then([{ type: 'DocumentReindexRequested', data: { documentId, revision: 2, requestedBy: 'u1', cause: 'reindex' } }]));
  it('cannot reindex what does not exist or was deleted', () => {
    spec([]).when({ type: 'ReindexDocument', data: { requestedBy: 'u1' } }).thenThrows('NOT_FOUND');
    const deleted: DocumentEvent = { type: 'DocumentDeleted', data: { documentId, knowledgeBaseId: 'kb-1', revision: 1, deletedBy: 'u1' } };
    spec([uploaded(), deleted]).when({ type: 'ReindexDocument', data: { requestedBy: 'u1' } }).thenThrows('NOT_FOUND');
  });
  it('deletes once, carrying the knowledge base', () => {
    const deleted: DocumentEvent = { type: 'DocumentDeleted', data: { documentId, knowledgeBaseId: 'kb-1', revision: 1, deletedBy: 'u1' } };
    spec(pipeline).when({ type: 'DeleteDocument', data: { deletedBy: 'u1' } }).then([deleted]);
    spec([...pipeline, deleted]).when({ type: 'DeleteDocument', data: { deletedBy: 'u1' } }).then([]);
    spec([]).when({ type: 'DeleteDocument', data: { deletedBy: 'u1' } }).thenThrows('NOT_FOUND');
  });
  it('walks the status machine', () => {
    const statuses = [...pipeline, { type: 'ChunksEmbedded', data: embeddings([0, 1, 2]) } as DocumentEvent]
      .map((_, i, all) => all.slice(0, i + 1).reduce(documentDecider.evolve, documentDecider.initialState()).status);
    expect(statuses).toEqual(['uploaded', 'parsing', 'chunking', 'embedding', 'embedding']);
  });
});

describe('chunk curation', () => {
  const at = '2026-12-05T00:00:00.000Z';
  const indexed: DocumentEvent = { type: 'DocumentIndexed', data: { documentId, revision: 1, chunkCount: 3, model: 'none', dimensions: 0 } };
  const done = [...pipeline, { type: 'ChunksEmbedded', data: embeddings([0, 1, 2]) } as DocumentEvent, indexed];
  const edit = (chunkId: string): DocumentCommand => ({
    type: 'EditChunk',
    data: { chunkId, text: 'new', tokenCount: 1, model: 'none', dimensions: 0, vector: '', editedBy: 'u1', editedAt: at },
  });
  const enable = (chunkId: string, enabled: boolean): DocumentCommand => ({ type: 'SetChunkEnabled', data: { chunkId, enabled, by: 'u1', at } });
  const toggled = (type: 'ChunkDisabled' | 'ChunkEnabled', chunkId: string): DocumentEvent => ({
    type,
    data: { documentId, revision: 1, chunkId, by: 'u1', at },
  });

  it('edits a chunk of the current revision of an indexed document', () => {
    spec(done).when(edit(chunkIdOf(documentId, 1, 2))).then([
      { type: 'ChunkEdited', data: { documentId, revision: 1, chunkId: chunkIdOf(documentId, 1, 2), text: 'new', tokenCount: 1, model: 'none', dimensions: 0, vector: '', editedBy: 'u1', editedAt: at } },
    ]);
  });

  it('refuses a chunk that is not there, of an older revision, or of a document not indexed or deleted', () => {
    spec(done).when(edit(chunkIdOf(documentId, 1, 3))).thenThrows('NOT_FOUND');
    spec(done).when(edit(chunkIdOf('doc-2', 1, 0))).thenThrows('NOT_FOUND');
    spec(done).when(edit(`${documentId}:1:x`)).thenThrows('NOT_FOUND');
    spec(pipeline).when(edit(chunkIdOf(documentId, 1, 0))).thenThrows('CONFLICT');
    const reindexed: DocumentEvent = { type: 'DocumentReindexRequested', data: { documentId, revision: 2, requestedBy: 'u1', cause: 'reindex' } };
    spec([...done, reindexed]).when(edit(chunkIdOf(documentId, 1, 0))).thenThrows('CONFLICT');
    const deleted: DocumentEvent = { type: 'DocumentDeleted', data: { documentId, knowledgeBaseId: 'kb-1', revision: 1, deletedBy: 'u1' } };
    spec([...done, deleted]).when(enable(chunkIdOf(documentId, 1, 0), false)).thenThrows('NOT_FOUND');
  });

  it('disables and enables a chunk once: asking again for what is so records nothing', () => {
    const chunkId = chunkIdOf(documentId, 1, 1);
    spec(done).when(enable(chunkId, false)).then([toggled('ChunkDisabled', chunkId)]);
    spec([...done, toggled('ChunkDisabled', chunkId)]).when(enable(chunkId, false)).then([]);
    spec([...done, toggled('ChunkDisabled', chunkId)]).when(enable(chunkId, true)).then([toggled('ChunkEnabled', chunkId)]);
    spec(done).when(enable(chunkId, true)).then([]);
  });
});
