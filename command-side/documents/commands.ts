/**
 * Commands on one document: from people (upload, reindex, delete, and the curation of single chunks), the rest from
 * the pipeline worker.
 */
import type { DocumentFailureCode } from '../../contracts/document-failures.ts';
import type { ChunkEdited, ChunksEmbedded, DocumentChunked, PipelineStep } from '../../contracts/documents.ts';

export type UploadDocument = {
  type: 'UploadDocument';
  data: {
    documentId: string;
    knowledgeBaseId: string;
    name: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
    uploadedBy: string;
    /** The same bytes are already a document: process them again (under this name) instead of returning it. */
    replace: boolean;
  };
};
export type ReindexDocument = { type: 'ReindexDocument'; data: { requestedBy: string } };
export type DeleteDocument = { type: 'DeleteDocument'; data: { deletedBy: string } };

/** The new text with its vector and tokens, made by the handler (the decider stays pure). */
export type EditChunk = { type: 'EditChunk'; data: Omit<ChunkEdited['data'], 'documentId' | 'revision'> };
export type SetChunkEnabled = { type: 'SetChunkEnabled'; data: { chunkId: string; enabled: boolean; by: string; at: string } };

export type StartParsing = { type: 'StartParsing'; data: { revision: number } };
export type RecordParsed = {
  type: 'RecordParsed';
  data: { revision: number; blockCount: number; pageCount: number; charCount: number };
};
/** Every part of a revision's chunks, recorded in one append so a crash never leaves half of them. */
export type RecordChunks = { type: 'RecordChunks'; data: { revision: number; parts: DocumentChunked['data'][] } };
export type RecordEmbeddings = { type: 'RecordEmbeddings'; data: ChunksEmbedded['data'] };
export type FailDocument = {
  type: 'FailDocument';
  data: { revision: number; step: PipelineStep; code: DocumentFailureCode; reason: string };
};

export type DocumentCommand =
  | UploadDocument
  | ReindexDocument
  | DeleteDocument
  | EditChunk
  | SetChunkEnabled
  | StartParsing
  | RecordParsed
  | RecordChunks
  | RecordEmbeddings
  | FailDocument;
