/** Queries of the knowledge_bases read model (owned by knowledgeBasesProjector). */
import type { SqlExecutor } from '../../contracts/sql.ts';

export interface KnowledgeBaseRow {
  id: string;
  name: string;
  description: string | null;
  ownerId: string;
  documentCount: number;
  createdAt: string;
}

type Raw = {
  id: string;
  name: string;
  description: string | null;
  owner_id: string;
  document_count: number;
  created_at: Date | string;
};

const COLUMNS = 'id, name, description, owner_id, document_count, created_at';

const toKnowledgeBase = (row: Raw): KnowledgeBaseRow => ({
  id: row.id,
  name: row.name,
  description: row.description,
  ownerId: row.owner_id,
  documentCount: Number(row.document_count),
  createdAt: new Date(row.created_at).toISOString(),
});

/** Oldest first; `ownerId` undefined lists every knowledge base (for admins). */
export async function listKnowledgeBases(sql: SqlExecutor, ownerId: string | undefined): Promise<KnowledgeBaseRow[]> {
  const rows =
    ownerId === undefined
      ? await sql.query<Raw>(`SELECT ${COLUMNS} FROM knowledge_bases ORDER BY created_at, id`)
      : await sql.query<Raw>(`SELECT ${COLUMNS} FROM knowledge_bases WHERE owner_id = $1 ORDER BY created_at, id`, [
          ownerId,
        ]);
  return rows.map(toKnowledgeBase);
}

export async function findKnowledgeBase(sql: SqlExecutor, id: string): Promise<KnowledgeBaseRow | undefined> {
  const rows = await sql.query<Raw>(`SELECT ${COLUMNS} FROM knowledge_bases WHERE id = $1`, [id]);
  return rows[0] && toKnowledgeBase(rows[0]);
}

/** How many knowledge bases the user owns (their quota usage). */
export async function countKnowledgeBases(sql: SqlExecutor, ownerId: string): Promise<number> {
  const [row] = await sql.query<{ count: number | string }>(`SELECT count(*) AS count FROM knowledge_bases WHERE owner_id = $1`, [
    ownerId,
  ]);
  return Number(row?.count ?? 0);
}
