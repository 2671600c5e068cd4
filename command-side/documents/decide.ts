/**
 * Business rules of a document. Pipeline commands for a revision that is no longer current (a reindex, a delete or
 * a failure came first) or for a step already recorded decide nothing: the worker's work is simply dropped, which
 * makes every pipeline step idempotent.
 */
import { DomainError } from '../../contracts/errors.ts';
import { chunkIdOf, revisionOfChunk } from '../../contracts/documents.ts';
import type { DocumentEvent } from '../../contracts/documents.ts';
import type { DocumentCommand, RecordChunks, RecordEmbeddings, UploadDocument } from './commands.ts';
import type { DocumentState } from './state.ts';

/** A file that killed the worker this many times while parsing is given up on. */
export const MAX_PARSE_ATTEMPTS = 3;

const IN_PROGRESS = new Set(['uploaded', 'parsing', 'chunking', 'embedding']);

export function decideDocument(command: DocumentCommand, state: DocumentState): DocumentEvent[] {
  switch (command.type) {
    case 'UploadDocument':
      return upload(command, state);
    case 'ReindexDocument':
      assertLive(state);
      return [
        {
          type: 'DocumentReindexRequested',
          data: {
            documentId: state.documentId,
            revision: state.revision + 1,
            requestedBy: command.data.requestedBy,
            cause: 'reindex',
          },
        },
      ];
    case 'DeleteDocument':
      if (state.status === 'none') throw notFound();
      if (state.status === 'deleted') return [];
      return [
        {
          type: 'DocumentDeleted',
          data: {
            documentId: state.documentId,
            knowledgeBaseId: state.knowledgeBaseId,
            revision: state.revision,
            deletedBy: command.data.deletedBy,
          },
        },
      ];
    case 'EditChunk': {
      const revision = curatedRevision(state, command.data.chunkId);
      return [{ type: 'ChunkEdited', data: { documentId: state.documentId, revision, ...command.data } }];
    }
    case 'SetChunkEnabled': {
      const { chunkId, enabled, by, at } = command.data;
      const revision = curatedRevision(state, chunkId);
      // Already so: nothing to record (a retried or doubled click).
      if (state.disabledChunks.has(chunkId) !== enabled) return [];
      const data = { documentId: state.documentId, revision, chunkId, by, at };
      return [enabled ? { type: 'ChunkEnabled', data } : { type: 'ChunkDisabled', data }];
    }
    case 'StartParsing': {
      if (!isCurrent(state, command.data.revision, ['uploaded', 'parsing'])) return [];
      const { documentId, revision } = state;
      if (state.parseAttempts >= MAX_PARSE_ATTEMPTS) {
        const reason = `parsing stopped the worker ${state.parseAttempts} times: the file is probably malformed`;
        return [{ type: 'DocumentFailed', data: { documentId, revision, step: 'parse', code: 'MALFORMED', reason } }];
      }
      return [{ type: 'DocumentParsingStarted', data: { documentId, revision, attempt: state.parseAttempts + 1 } }];
    }
    case 'RecordParsed':
      if (!isCurrent(state, command.data.revision, ['uploaded', 'parsing'])) return [];
      return [{ type: 'DocumentParsed', data: { documentId: state.documentId, ...command.data } }];
    case 'RecordChunks':
      return recordChunks(command, state);
    case 'RecordEmbeddings':
      return recordEmbeddings(command, state);
    case 'FailDocument':
      if (!isCurrent(state, command.data.revision, [...IN_PROGRESS])) return [];
      return [{ type: 'DocumentFailed', data: { documentId: state.documentId, ...command.data } }];
    default: {
      const unhandled: never = command;
      throw new DomainError('BAD_USER_INPUT', `unknown document command ${JSON.stringify(unhandled)}`);
    }
  }
}

/** The revision a curated chunk belongs to: the current one of an indexed document, or the command is refused. */
function curatedRevision(state: DocumentState, chunkId: string): number {
  if (state.status === 'none' || state.status === 'deleted') throw notFound();
  const revision = revisionOfChunk(chunkId, state.documentId);
  const index = Number(chunkId.split(':').at(-1));
  if (revision === undefined || revision > state.revision) {
    throw new DomainError('NOT_FOUND', 'no such chunk in this document', { documentId: state.documentId, chunkId });
  }
  if (revision < state.revision) {
    throw new DomainError('CONFLICT', 'the chunk belongs to an older revision of the document: it was re-indexed since', {
      documentId: state.documentId,
      chunkId,
    });
  }
  if (state.status !== 'indexed') {
    throw new DomainError('CONFLICT', `chunks can be changed once the document is indexed; it is ${state.status}`, {
      documentId: state.documentId,
    });
  }
  if (!(index < state.totalChunks)) {
    throw new DomainError('NOT_FOUND', 'no such chunk in this document', { documentId: state.documentId, chunkId });
  }
  return revision;
}

function upload(command: UploadDocument, state: DocumentState): DocumentEvent[] {
  const { replace, ...data } = command.data;
  if (state.status === 'none' || state.status === 'deleted') {
    return [{ type: 'DocumentUploaded', data: { ...data, revision: state.revision + 1 } }];
  }
  if (state.knowledgeBaseId !== data.knowledgeBaseId) {
    throw new DomainError('CONFLICT', `document ${state.documentId} belongs to another knowledge base`);
  }
  if (!replace) return [];
  return [
    {
      type: 'DocumentReindexRequested',
      data: {
        documentId: state.documentId,
        revision: state.revision + 1,
        requestedBy: data.uploadedBy,
        cause: 'replace',
        name: data.name,
      },
    },
  ];
}

function recordChunks(command: RecordChunks, state: DocumentState): DocumentEvent[] {
  const { revision, parts } = command.data;
  if (!isCurrent(state, revision, ['chunking'])) return [];
  const chunks = parts.flatMap((part) => part.chunks);
  const total = parts[0]?.totalChunks ?? 0;
  const wellFormed =
    parts.every((part, i) => part.part === i + 1 && part.parts === parts.length && part.totalChunks === total) &&
    chunks.length === total &&
    chunks.every((chunk, i) => chunk.index === i && chunk.chunkId === chunkIdOf(state.documentId, revision, i)) &&
    parts.every((part) => part.revision === revision && part.documentId === state.documentId);
  if (!wellFormed) throw new DomainError('BAD_USER_INPUT', `chunks of ${state.documentId} r${revision} are not well formed`);
  if (total === 0) {
    const reason = 'the document contains no text to index';
    return [{ type: 'DocumentFailed', data: { documentId: state.documentId, revision, step: 'chunk', code: 'NO_TEXT', reason } }];
  }
  return parts.map((data) => ({ type: 'DocumentChunked', data }));
}

function recordEmbeddings(command: RecordEmbeddings, state: DocumentState): DocumentEvent[] {
  const data = command.data;
  if (!isCurrent(state, data.revision, ['embedding'])) return [];
  if (data.documentId !== state.documentId) throw new DomainError('BAD_USER_INPUT', 'embeddings of another document');
  if (state.model !== undefined && (state.model !== data.model || state.dimensions !== data.dimensions)) {
    throw new DomainError('CONFLICT', `document ${state.documentId} is embedded with ${state.model}/${state.dimensions}`);
  }
  const prefix = chunkIdOf(state.documentId, state.revision, 0).slice(0, -1);
  const known = (chunkId: string) => {
    const index = chunkId.startsWith(prefix) ? Number(chunkId.slice(prefix.length)) : Number.NaN;
    return Number.isInteger(index) && index >= 0 && index < state.totalChunks && chunkId === prefix + index;
  };
  if (!data.chunkIds.every(known)) throw new DomainError('BAD_USER_INPUT', 'embeddings for unknown chunks');
  if (data.chunkIds.every((chunkId) => state.embedded.has(chunkId))) return [];
  if (data.chunkIds.some((chunkId) => state.embedded.has(chunkId))) {
    throw new DomainError('CONFLICT', 'embedding batch overlaps chunks already embedded');
  }
  const events: DocumentEvent[] = [{ type: 'ChunksEmbedded', data }];
  if (state.embedded.size + data.chunkIds.length === state.totalChunks) {
    events.push({
      type: 'DocumentIndexed',
      data: {
        documentId: state.documentId,
        revision: state.revision,
        chunkCount: state.totalChunks,
        model: data.model,
        dimensions: data.dimensions,
      },
    });
  }
  return events;
}

const isCurrent = (state: DocumentState, revision: number, statuses: readonly string[]) =>
  state.revision === revision && statuses.includes(state.status);

const notFound = () => new DomainError('NOT_FOUND', 'document not found');

function assertLive(state: DocumentState): void {
  if (state.status === 'none' || state.status === 'deleted') throw notFound();
}
