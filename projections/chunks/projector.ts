/**
 * The chunks projector: document events -> the chunks read model that search reads. Chunks become searchable
 * (BM25) as soon as DocumentChunked is projected and get their vectors with ChunksEmbedded; a reindex, a replace
 * or a delete removes the superseded chunks in the same transaction as the event, so search never returns them.
 * Curation (edit, disable, enable a chunk) changes single chunks of the current revision (curate-chunks.ts).
 * Every handler is idempotent: replaying an event changes nothing.
 */
import { documentStream } from '../../contracts/streams.ts';
import { CHUNK_CURATION_EVENT_TYPES, parseDocumentEvent, unpackVectors, type DocumentEvent } from '../../contracts/documents.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import type { Projector } from '../runtime/projector.ts';
import { addChunks } from './add-chunks.ts';
import { setEmbeddings } from './chunk-vectors.ts';
import { disableChunk, editChunk, enableChunk } from './curate-chunks.ts';
import { dropChunks } from './drop-chunks.ts';
import { chunkMigrations } from './schema.ts';

export const CHUNKS_PROJECTOR = 'chunks';
// 3: heading paths are indexed with the chunk's terms (chunk-terms.ts), and whether vectors are stored is an option.
const HANDLING_VERSION = 3;

type DocumentState = {
  revision: number;
  deleted: boolean;
};

async function documentState(tx: SqlExecutor, documentId: string): Promise<DocumentState | undefined> {
  const rows = await tx.query<DocumentState>(
    `SELECT revision, deleted FROM chunk_documents WHERE document_id = $1`,
    [documentId],
  );
  return rows[0];
}

async function saveDocumentState(
  tx: SqlExecutor,
  documentId: string,
  knowledgeBaseId: string | undefined,
  state: DocumentState,
): Promise<void> {
  await tx.query(
    `INSERT INTO chunk_documents (document_id, knowledge_base_id, revision, deleted) VALUES ($1, $2, $3, $4)
     ON CONFLICT (document_id) DO UPDATE
       SET knowledge_base_id = coalesce($5, chunk_documents.knowledge_base_id), revision = $3, deleted = $4`,
    [documentId, knowledgeBaseId ?? '', state.revision, state.deleted, knowledgeBaseId ?? null],
  );
}

/** A newer revision begins: older chunks are stale from now on. */
async function startRevision(tx: SqlExecutor, documentId: string, knowledgeBaseId: string | undefined, revision: number) {
  await saveDocumentState(tx, documentId, knowledgeBaseId, { revision, deleted: false });
  await dropChunks(tx, documentId, revision);
}

async function project(tx: SqlExecutor, event: DocumentEvent, options: ChunksProjectorOptions): Promise<void> {
  const { documentId, revision } = event.data;
  const current = await documentState(tx, documentId);
  switch (event.type) {
    case 'DocumentUploaded':
    case 'DocumentReindexRequested': {
      if (current && revision <= current.revision) return;
      const knowledgeBaseId = event.type === 'DocumentUploaded' ? event.data.knowledgeBaseId : undefined;
      if (!current && knowledgeBaseId === undefined) return;
      await startRevision(tx, documentId, knowledgeBaseId, revision);
      return;
    }
    case 'DocumentChunked': {
      if (current && (revision < current.revision || (current.deleted && revision <= current.revision))) return;
      if (!current || revision > current.revision) {
        await startRevision(tx, documentId, event.data.knowledgeBaseId, revision);
      }
      await addChunks(tx, { ...event.data, chunks: event.data.chunks });
      return;
    }
    case 'ChunksEmbedded': {
      if (!options.storeVectors || !current || current.deleted || revision !== current.revision) return;
      // A vector of another size cannot go in the column: such chunks stay searchable by BM25 only.
      if (event.data.dimensions !== options.dimensions) return;
      await setEmbeddings(tx, event.data.model, event.data.chunkIds, unpackVectors(event.data.vectors, options.dimensions));
      return;
    }
    case 'ChunkEdited': {
      if (!current || current.deleted || revision !== current.revision) return;
      const { model, dimensions, vector } = event.data;
      const stored = options.storeVectors && dimensions === options.dimensions;
      await editChunk(tx, event.data, stored ? { model, values: unpackVectors(vector, dimensions)[0]! } : undefined);
      return;
    }
    case 'ChunkDisabled':
    case 'ChunkEnabled': {
      if (!current || current.deleted || revision !== current.revision) return;
      const toggle = event.type === 'ChunkDisabled' ? disableChunk : enableChunk;
      await toggle(tx, event.data.chunkId, revision);
      return;
    }
    case 'DocumentDeleted': {
      await saveDocumentState(tx, documentId, event.data.knowledgeBaseId, {
        revision: Math.max(revision, current?.revision ?? 0),
        deleted: true,
      });
      await dropChunks(tx, documentId, Number.POSITIVE_INFINITY);
      return;
    }
    default:
      return;
  }
}

const HANDLED = [
  'DocumentUploaded',
  'DocumentReindexRequested',
  'DocumentChunked',
  'ChunksEmbedded',
  'DocumentDeleted',
  ...CHUNK_CURATION_EVENT_TYPES,
];

export interface ChunksProjectorOptions {
  /** Size of the vector column (EMBEDDING_DIMENSIONS). */
  dimensions: number;
  /**
   * Whether the search index's database has pgvector. Without it the index is lexical (BM25) alone: no vector
   * column, no vectors stored whatever storeVectors says, and nothing that needs the extension. Default true.
   */
  pgvector: boolean;
  /**
   * Whether ChunksEmbedded stores vectors (HNSW). False when the search gives the dense ranking no weight (the
   * local embedder's default): an HNSW insert costs ~5 ms per 1536-d vector on PGlite, most of ingestion, for
   * vectors no ranking reads. The vectors stay in the events: switching to true rebuilds the projection with them.
   * Default true.
   */
  storeVectors: boolean;
}

export function createChunksProjector(options: { dimensions: number; storeVectors?: boolean; pgvector?: boolean }): Projector {
  const pgvector = options.pgvector ?? true;
  const settings: ChunksProjectorOptions = {
    dimensions: options.dimensions,
    pgvector,
    storeVectors: pgvector && (options.storeVectors ?? true),
  };
  return {
    name: CHUNKS_PROJECTOR,
    // What the rows are depends on the vector column's size, on whether vectors are stored and on whether there is
    // a vector column at all: changing any rebuilds the projection from the log, so installing pgvector later
    // brings in the vectors the log holds (dimensions are 1..2000, so the parts never collide).
    version:
      HANDLING_VERSION * 1_000_000 + (settings.storeVectors ? 0 : 100_000) + (pgvector ? 0 : 200_000) + settings.dimensions,
    ...(pgvector && { extensions: ['vector'] }),
    migrations: chunkMigrations(settings.dimensions, { pgvector }),
    filter: { eventTypes: HANDLED, streamPrefixes: [documentStream('')] },
    // Each HNSW insert of a 1536-d vector costs ~5 ms on PGlite, and search waits for the transaction in progress:
    // one ChunksEmbedded event (8 vectors by default) per transaction keeps search at p50 ~40 ms while a large
    // manual is indexed (ops/bench/ingestion.ts), against ~190 ms with two events of 30.
    maxEventsPerTransaction: 1,
    async handle(events, tx) {
      for (const recorded of events) {
        await project(tx, parseDocumentEvent(recorded), settings);
      }
    },
  };
}
