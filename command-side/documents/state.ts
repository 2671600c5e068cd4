/** A document as its stream tells it: the state every document command is decided against. */
import type { DocumentFailureCode } from '../../contracts/document-failures.ts';
import type { DocumentEvent, DocumentStatus, PipelineStep } from '../../contracts/documents.ts';

export interface DocumentState {
  /** 'none': the stream is empty. */
  status: DocumentStatus | 'none';
  documentId: string;
  knowledgeBaseId: string;
  name: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  /** Processing attempt: 1 after the first upload, +1 per reindex/replace/re-upload; 0 when none. */
  revision: number;
  /** DocumentParsingStarted events of this revision (a worker that died while parsing leaves one behind). */
  parseAttempts: number;
  error: string | undefined;
  errorCode: DocumentFailureCode | undefined;
  failedStep: PipelineStep | undefined;
  pageCount: number;
  /** Chunks of this revision, known once part 1 is recorded (all parts are recorded in one append). */
  totalChunks: number;
  embedded: ReadonlySet<string>;
  model: string | undefined;
  dimensions: number | undefined;
  /** Chunks of this revision a person took out of search (curation). */
  disabledChunks: ReadonlySet<string>;
}

/** The results of processing a revision, before any. */
const unprocessed = () => ({
  parseAttempts: 0,
  error: undefined,
  errorCode: undefined,
  failedStep: undefined,
  pageCount: 0,
  totalChunks: 0,
  embedded: new Set<string>(),
  model: undefined,
  dimensions: undefined,
  disabledChunks: new Set<string>(),
});

export const initialDocumentState = (): DocumentState => ({
  status: 'none',
  documentId: '',
  knowledgeBaseId: '',
  name: '',
  mediaType: '',
  sizeBytes: 0,
  sha256: '',
  uploadedBy: '',
  revision: 0,
  ...unprocessed(),
});

/** What a new revision starts from: identity kept, processing results cleared. */
const restart = (state: DocumentState, revision: number): DocumentState => ({
  ...state,
  status: 'uploaded',
  revision,
  ...unprocessed(),
});

export function evolveDocument(state: DocumentState, event: DocumentEvent): DocumentState {
  switch (event.type) {
    case 'DocumentUploaded': {
      const { documentId, knowledgeBaseId, name, mediaType, sizeBytes, sha256, uploadedBy, revision } = event.data;
      return { ...restart(state, revision), documentId, knowledgeBaseId, name, mediaType, sizeBytes, sha256, uploadedBy };
    }
    case 'DocumentReindexRequested':
      return { ...restart(state, event.data.revision), name: event.data.name ?? state.name };
    case 'DocumentParsingStarted':
      return { ...state, status: 'parsing', parseAttempts: event.data.attempt };
    case 'DocumentParsed':
      return { ...state, status: 'chunking', pageCount: event.data.pageCount };
    case 'DocumentChunked':
      return { ...state, status: 'embedding', totalChunks: event.data.totalChunks };
    case 'ChunksEmbedded': {
      const embedded = new Set(state.embedded);
      for (const chunkId of event.data.chunkIds) embedded.add(chunkId);
      return { ...state, embedded, model: event.data.model, dimensions: event.data.dimensions };
    }
    case 'DocumentIndexed':
      return { ...state, status: 'indexed' };
    case 'DocumentFailed':
      return { ...state, status: 'failed', error: event.data.reason, errorCode: event.data.code, failedStep: event.data.step };
    case 'DocumentDeleted':
      return { ...state, status: 'deleted' };
    case 'ChunkEdited':
      return state;
    case 'ChunkDisabled':
      return { ...state, disabledChunks: new Set([...state.disabledChunks, event.data.chunkId]) };
    case 'ChunkEnabled':
      return { ...state, disabledChunks: new Set([...state.disabledChunks].filter((chunkId) => chunkId !== event.data.chunkId)) };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
