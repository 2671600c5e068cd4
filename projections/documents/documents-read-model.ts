/** Queries of the documents read model (owned by documentsProjector), shaped like the GraphQL Document. */
import type { DocumentStatus } from '../../contracts/documents.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';

export interface DocumentRow {
  id: string;
  knowledgeBaseId: string;
  name: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  status: DocumentStatus;
  error: string | null;
  errorCode: string | null;
  failedStep: string | null;
  chunkCount: number;
  embeddedCount: number;
  revision: number;
  pageCount: number;
  uploadedBy: string;
  createdAt: string;
  updatedAt: string;
}

export type DocumentRaw = {
  id: string;
  knowledge_base_id: string;
  name: string;
  media_type: string;
  size_bytes: number | string;
  sha256: string;
  status: DocumentStatus;
  error: string | null;
  error_code: string | null;
  failed_step: string | null;
  chunk_count: number;
  embedded_count: number;
  revision: number;
  page_count: number;
  uploaded_by: string;
  created_at: Date | string;
  updated_at: Date | string;
};

export const DOCUMENT_COLUMNS = `id, knowledge_base_id, name, media_type, size_bytes, sha256, status, error, error_code, failed_step,
  chunk_count, embedded_count, revision, page_count, uploaded_by, created_at, updated_at`;

export const toDocument = (row: DocumentRaw): DocumentRow => ({
  id: row.id,
  knowledgeBaseId: row.knowledge_base_id,
  name: row.name,
  mediaType: row.media_type,
  sizeBytes: Number(row.size_bytes),
  sha256: row.sha256,
  status: row.status,
  error: row.error,
  errorCode: row.error_code,
  failedStep: row.failed_step,
  chunkCount: Number(row.chunk_count),
  embeddedCount: Number(row.embedded_count),
  revision: Number(row.revision),
  pageCount: Number(row.page_count),
  uploadedBy: row.uploaded_by,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

/** The knowledge base's documents, oldest first; deleted ones only when asked. */
export async function listDocuments(
  sql: SqlExecutor,
  knowledgeBaseId: string,
  options: { includeDeleted?: boolean } = {},
): Promise<DocumentRow[]> {
  const rows = await sql.query<DocumentRaw>(
    `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE knowledge_base_id = $1 AND ($2 OR status <> 'deleted')
     ORDER BY created_at, id`,
    [knowledgeBaseId, options.includeDeleted ?? false],
  );
  return rows.map(toDocument);
}

export async function findDocument(sql: SqlExecutor, id: string): Promise<DocumentRow | undefined> {
  const rows = await sql.query<DocumentRaw>(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE id = $1`, [id]);
  return rows[0] && toDocument(rows[0]);
}

export async function findDocuments(sql: SqlExecutor, ids: readonly string[]): Promise<DocumentRow[]> {
  if (ids.length === 0) return [];
  const rows = await sql.query<DocumentRaw>(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE id = ANY($1::text[])`, [ids]);
  return rows.map(toDocument);
}

/** Whether a document that is not deleted has these bytes (the blob collector keeps its file then). */
export async function isBlobReferenced(sql: SqlExecutor, sha256: string): Promise<boolean> {
  const rows = await sql.query(`SELECT 1 FROM documents WHERE sha256 = $1 AND status <> 'deleted' LIMIT 1`, [sha256]);
  return rows.length > 0;
}

/**
 * A user's quota usage: documents in flight and bytes of the live documents in the knowledge bases they own. Reads
 * the knowledge_bases table of the same read-model database (its owner index, then this table's by knowledge base).
 */
export async function documentUsageOfOwner(
  sql: SqlExecutor,
  ownerId: string,
): Promise<{ inFlight: number; bytesStored: number }> {
  const [row] = await sql.query<{ in_flight: number | string; bytes_stored: number | string }>(
    `SELECT count(*) FILTER (WHERE status IN ('uploaded', 'parsing', 'chunking', 'embedding')) AS in_flight,
            COALESCE(sum(size_bytes) FILTER (WHERE status <> 'deleted'), 0) AS bytes_stored
     FROM documents WHERE knowledge_base_id IN (SELECT id FROM knowledge_bases WHERE owner_id = $1)`,
    [ownerId],
  );
  return { inFlight: Number(row?.in_flight ?? 0), bytesStored: Number(row?.bytes_stored ?? 0) };
}
