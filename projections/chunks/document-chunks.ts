/**
 * A document's chunks as a curator sees them (the GraphQL Chunk): the current revision's, in order, with those taken
 * out of search. `ordinal` is the chunk's index in its document revision.
 */
import type { SqlExecutor } from '../../contracts/sql.ts';

export interface DocumentChunkRow {
  id: string;
  documentId: string;
  knowledgeBaseId: string;
  revision: number;
  ordinal: number;
  text: string;
  headingPath: string[];
  page: number | null;
  tokenCount: number;
  /** False while taken out of search (chunks_disabled). */
  enabled: boolean;
}

type Raw = Record<string, unknown>;

const toChunk = (row: Raw): DocumentChunkRow => ({
  id: String(row.chunk_id),
  documentId: String(row.document_id),
  knowledgeBaseId: String(row.knowledge_base_id),
  revision: Number(row.revision),
  ordinal: Number(row.chunk_index),
  text: String(row.text),
  headingPath: (typeof row.heading_path === 'string' ? JSON.parse(row.heading_path) : row.heading_path) as string[],
  page: row.page === null ? null : Number(row.page),
  tokenCount: Number(row.token_count),
  enabled: Boolean(row.enabled),
});

const COLUMNS = 'chunk_id, document_id, knowledge_base_id, revision, chunk_index, text, heading_path, page, token_count';

/** `limit` chunks after the one with index `afterOrdinal` (-1: from the first; a manual has thousands). */
export async function listDocumentChunks(
  sql: SqlExecutor,
  documentId: string,
  page: { afterOrdinal: number; limit: number },
): Promise<DocumentChunkRow[]> {
  const rows = await sql.query<Raw>(
    `SELECT * FROM (
       SELECT ${COLUMNS}, true AS enabled FROM chunks WHERE document_id = $1
       UNION ALL
       SELECT ${COLUMNS}, false AS enabled FROM chunks_disabled WHERE document_id = $1) c
      WHERE chunk_index > $2 ORDER BY chunk_index LIMIT $3`,
    [documentId, page.afterOrdinal, page.limit],
  );
  return rows.map(toChunk);
}

export async function findDocumentChunk(sql: SqlExecutor, chunkId: string): Promise<DocumentChunkRow | undefined> {
  const [row] = await sql.query<Raw>(
    `SELECT ${COLUMNS}, true AS enabled FROM chunks WHERE chunk_id = $1
     UNION ALL
     SELECT ${COLUMNS}, false AS enabled FROM chunks_disabled WHERE chunk_id = $1`,
    [chunkId],
  );
  return row && toChunk(row);
}
