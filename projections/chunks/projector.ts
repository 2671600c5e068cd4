/**
 * The chunks projector: document events -> the chunks read model that search reads. Chunks become searchable
 * (BM25) as soon as DocumentChunked is projected and get their vectors with ChunksEmbedded; a reindex, a replace
 * or a delete removes the superseded chunks in the same transaction as the event, so search never returns them.
 * Every handler is idempotent: replaying an event changes nothing.
 */
import { documentStream } from '../../contracts/streams.ts';
import { parseDocumentEvent, unpackVectors, type DocumentEvent } from '../../contracts/documents.ts';
import type { SqlExecutor } from '../../ops/sql/types.ts';
import type { Projector } from '../runtime/projector.ts';
import { addChunks, dropChunks, setEmbeddings } from './chunk-rows.ts';
import { chunkMigrations } from './schema.ts';

export const CHUNKS_PROJECTOR = 'chunks';
const HANDLING_VERSION = 2;

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

async function project(tx: SqlExecutor, event: DocumentEvent, dimensions: number): Promise<void> {
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
      if (!current || current.deleted || revision !== current.revision) return;
      // A vector of another size cannot go in the column: such chunks stay searchable by BM25 only.
      if (event.data.dimensions !== dimensions) return;
      await setEmbeddings(tx, event.data.model, event.data.chunkIds, unpackVectors(event.data.vectors, dimensions));
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

const HANDLED = ['DocumentUploaded', 'DocumentReindexRequested', 'DocumentChunked', 'ChunksEmbedded', 'DocumentDeleted'];

export function createChunksProjector(options: { dimensions: number }): Projector {
  const { dimensions } = options;
  return {
    name: CHUNKS_PROJECTOR,
    // The vector column's size is part of what the rows are: another dimension means a rebuild.
    version: HANDLING_VERSION * 100_000 + dimensions,
    migrations: chunkMigrations(dimensions),
    filter: { eventTypes: HANDLED, streamPrefixes: [documentStream('')] },
    // Each HNSW insert of a 1536-d vector costs ~5 ms on PGlite, and search waits for the transaction in progress:
    // one ChunksEmbedded event (8 vectors by default) per transaction keeps search at p50 ~40 ms while a large
    // manual is indexed (ops/bench/ingestion.ts), against ~190 ms with two events of 30.
    maxEventsPerTransaction: 1,
    async handle(events, tx) {
      for (const recorded of events) {
        const event = parseDocumentEvent(recorded.type, recorded.data);
        if (event) await project(tx, event, dimensions);
      }
    },
  };
}
