/**
 * The document command port the query side calls (upload route, document and chunk mutations); the
 * composition root (ops/app) injects command-side/documents' implementation. Owner: INGEST-C.
 */
import type { DocumentStatus } from './documents.ts';
import type { EventMetadata } from './eventstore.ts';
import type { Position } from './position.ts';

/** Who asks: only a knowledge base's owner or an admin may change its documents. */
export interface DocumentActor {
  id: string;
  role: 'admin' | 'member';
}

export interface UploadDocumentInput {
  knowledgeBaseId: string;
  /** The client's file name (path parts are dropped). */
  fileName: string;
  /** The file's bytes as they arrive; read once, never held whole in memory by the store. */
  content: AsyncIterable<Uint8Array>;
  /** Same bytes already in this knowledge base: process them again (new revision) instead of returning them. */
  replace: boolean;
  actor: DocumentActor;
  metadata: EventMetadata;
}

export interface UploadDocumentResult {
  documentId: string;
  /** 'created': new document; 'replaced': existing document, new revision; 'existing': same bytes, nothing done. */
  outcome: 'created' | 'replaced' | 'existing';
  /** Log position of what was appended (undefined for 'existing'). */
  position: Position | undefined;
}

/** A document as its stream has it right after a change: the answer while the read model does not show it yet. */
export interface DecidedDocument {
  id: string;
  knowledgeBaseId: string;
  name: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  status: DocumentStatus;
  error: string | null;
  errorCode: string | null;
  chunkCount: number;
  embeddedCount: number;
  revision: number;
}

export interface DocumentChangeResult {
  documentId: string;
  position: Position | undefined;
  document: DecidedDocument;
}

export interface DocumentCommands {
  /** NOT_FOUND (no such knowledge base) or FORBIDDEN, before any byte is read: call it before taking the body. */
  authorizeUpload(knowledgeBaseId: string, actor: DocumentActor): Promise<void>;
  /** PAYLOAD_TOO_LARGE past MAX_UPLOAD_BYTES, UNSUPPORTED_MEDIA_TYPE when the bytes are of no known type. */
  upload(input: UploadDocumentInput): Promise<UploadDocumentResult>;
  reindex(documentId: string, actor: DocumentActor, metadata: EventMetadata): Promise<DocumentChangeResult>;
  delete(documentId: string, actor: DocumentActor, metadata: EventMetadata): Promise<DocumentChangeResult>;
  /**
   * Curation of the current revision of an indexed document: a chunk's new text (re-embedded), or the chunk taken out
   * of search and put back. BAD_USER_INPUT for an empty or too long text; NOT_FOUND, or CONFLICT while the document
   * is not indexed or the chunk is of an older revision.
   */
  editChunk(documentId: string, chunkId: string, text: string, actor: DocumentActor, metadata: EventMetadata): Promise<DocumentChangeResult>;
  setChunkEnabled(
    documentId: string,
    chunkId: string,
    enabled: boolean,
    actor: DocumentActor,
    metadata: EventMetadata,
  ): Promise<DocumentChangeResult>;
}
