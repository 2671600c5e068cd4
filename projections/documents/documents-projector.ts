/**
 * The documents read model: one row per document with its processing status and progress (chunks embedded of
 * total), from the document-{id} events. Each row remembers the stream revision that last changed it, so a replayed
 * or repeated event changes nothing. updatedAt is the event's time, so a rebuild gives the same rows.
 */
import { parseDocumentEvent, type DocumentEvent } from '../../contracts/documents.ts';
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import type { Projector } from '../runtime/projector.ts';
import { DOCUMENT_EVENT_TYPES } from '../../contracts/documents.ts';
import { DOCUMENT_COLUMNS, toDocument, type DocumentRaw, type DocumentRow } from './documents-read-model.ts';
import { documentStatusFeed } from './status-feed.ts';

const MIGRATION = `
  CREATE TABLE documents (
    id text PRIMARY KEY,
    knowledge_base_id text NOT NULL,
    name text NOT NULL,
    media_type text NOT NULL,
    size_bytes bigint NOT NULL,
    sha256 text NOT NULL,
    uploaded_by text NOT NULL,
    status text NOT NULL,
    error text,
    failed_step text,
    revision integer NOT NULL,
    page_count integer NOT NULL DEFAULT 0,
    char_count integer NOT NULL DEFAULT 0,
    chunk_count integer NOT NULL DEFAULT 0,
    embedded_count integer NOT NULL DEFAULT 0,
    embedding_model text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    stream_revision integer NOT NULL
  );
  CREATE INDEX documents_knowledge_base ON documents (knowledge_base_id, created_at);`;

/** DocumentFailed's code (schema version 2); the version bump rebuilds older rows, whose events are upcast. */
const ERROR_CODE_MIGRATION = `ALTER TABLE documents ADD COLUMN error_code text;`;

/** How many chunks of the current revision a person edited (edits counted) or took out of search. */
const CURATION_MIGRATION = `ALTER TABLE documents ADD COLUMN edited_chunk_count integer NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN disabled_chunk_count integer NOT NULL DEFAULT 0;`;

/** Column assignments an event makes, as SQL with parameters from $4 on ($1 id, $2 stream revision, $3 time). */
function changesOf(event: DocumentEvent): { set: string; params: unknown[] } | undefined {
  switch (event.type) {
    case 'DocumentUploaded':
      return undefined; // an insert-or-reset, below
    case 'DocumentParsingStarted':
      return { set: `status = 'parsing'`, params: [] };
    case 'DocumentParsed':
      return { set: `status = 'chunking', page_count = $4, char_count = $5`, params: [event.data.pageCount, event.data.charCount] };
    case 'DocumentChunked':
      return { set: `status = 'embedding', chunk_count = $4`, params: [event.data.totalChunks] };
    case 'ChunksEmbedded':
      return {
        set: `embedded_count = embedded_count + $4, embedding_model = $5`,
        params: [event.data.chunkIds.length, event.data.model],
      };
    case 'DocumentIndexed':
      return { set: `status = 'indexed', chunk_count = $4, embedded_count = $4`, params: [event.data.chunkCount] };
    case 'DocumentFailed':
      return {
        set: `status = 'failed', error = $4, error_code = $5, failed_step = $6`,
        params: [event.data.reason, event.data.code, event.data.step],
      };
    case 'DocumentReindexRequested':
      return {
        set: `status = 'uploaded', revision = $4, name = COALESCE($5, name), error = NULL, error_code = NULL, failed_step = NULL,
              page_count = 0, char_count = 0, chunk_count = 0, embedded_count = 0, embedding_model = NULL,
              edited_chunk_count = 0, disabled_chunk_count = 0`,
        params: [event.data.revision, event.data.name ?? null],
      };
    case 'DocumentDeleted':
      return { set: `status = 'deleted'`, params: [] };
    case 'ChunkEdited':
      return { set: `edited_chunk_count = edited_chunk_count + 1`, params: [] };
    case 'ChunkDisabled':
      return { set: `disabled_chunk_count = disabled_chunk_count + 1`, params: [] };
    case 'ChunkEnabled':
      return { set: `disabled_chunk_count = disabled_chunk_count - 1`, params: [] };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The row right after the event, or undefined when the event changed nothing (seen before). */
async function apply(recorded: RecordedEvent, tx: SqlExecutor): Promise<DocumentRow | undefined> {
  const event = parseDocumentEvent(recorded);
  let rows: DocumentRaw[];
  if (event.type === 'DocumentUploaded') {
    const d = event.data;
    rows = await tx.query<DocumentRaw>(
      `INSERT INTO documents (id, knowledge_base_id, name, media_type, size_bytes, sha256, uploaded_by, status, revision,
                              created_at, updated_at, stream_revision)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'uploaded', $8, $9, $9, $10)
       ON CONFLICT (id) DO UPDATE SET
         name = EXCLUDED.name, media_type = EXCLUDED.media_type, uploaded_by = EXCLUDED.uploaded_by,
         status = 'uploaded', error = NULL, error_code = NULL, failed_step = NULL, revision = EXCLUDED.revision, page_count = 0,
         char_count = 0, chunk_count = 0, embedded_count = 0, embedding_model = NULL, edited_chunk_count = 0, disabled_chunk_count = 0,
         created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, stream_revision = EXCLUDED.stream_revision
       WHERE documents.stream_revision < EXCLUDED.stream_revision
       RETURNING ${DOCUMENT_COLUMNS}`,
      [d.documentId, d.knowledgeBaseId, d.name, d.mediaType, d.sizeBytes, d.sha256, d.uploadedBy, d.revision,
        recorded.createdAt, recorded.revision],
    );
  } else {
    const change = changesOf(event)!;
    rows = await tx.query<DocumentRaw>(
      `UPDATE documents SET ${change.set}, updated_at = $3, stream_revision = $2
       WHERE id = $1 AND stream_revision < $2
       RETURNING ${DOCUMENT_COLUMNS}`,
      [event.data.documentId, recorded.revision, recorded.createdAt, ...change.params],
    );
  }
  return rows[0] && toDocument(rows[0]);
}

export const documentsProjector: Projector = {
  name: 'documents',
  // 2: rows carry DocumentFailed's code.
  version: 2,
  migrations: [
    { version: 1, sql: MIGRATION },
    { version: 2, sql: ERROR_CODE_MIGRATION },
    { version: 3, sql: CURATION_MIGRATION },
  ],
  filter: { streamPrefixes: ['document-'], eventTypes: DOCUMENT_EVENT_TYPES },
  async handle(events, tx, ctx) {
    for (const event of events) {
      const row = await apply(event, tx);
      if (row && !ctx.rebuilding) documentStatusFeed.note(event.id, row);
    }
  },
};
