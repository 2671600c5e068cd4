/**
 * Queries of the knowledge_bases read model (owned by knowledgeBasesProjector). Which knowledge bases a user may
 * reach joins workspace_members (the workspaces projector's, same database).
 */
import type { SqlExecutor } from '../../contracts/sql.ts';
import { roleOnKnowledgeBase, type AccessActor, type MemberRole } from '../../contracts/workspaces.ts';

export interface KnowledgeBaseRow {
  id: string;
  name: string;
  description: string | null;
  ownerId: string;
  workspaceId: string | null;
  documentCount: number;
  createdAt: string;
}

type Raw = {
  id: string;
  name: string;
  description: string | null;
  owner_id: string;
  workspace_id: string | null;
  document_count: number;
  created_at: Date | string;
};

const COLUMNS = 'id, name, description, owner_id, workspace_id, document_count, created_at';

const toKnowledgeBase = (row: Raw): KnowledgeBaseRow => ({
  id: row.id,
  name: row.name,
  description: row.description,
  ownerId: row.owner_id,
  workspaceId: row.workspace_id,
  documentCount: Number(row.document_count),
  createdAt: new Date(row.created_at).toISOString(),
});

/** Knowledge bases with the role of the user $1 in their workspace, if they have one. */
const WITH_MEMBER_ROLE = `SELECT ${COLUMNS.split(', ').map((column) => `kb.${column}`).join(', ')}, m.role AS member_role
  FROM knowledge_bases kb
  LEFT JOIN workspace_members m ON m.workspace_id = kb.workspace_id AND m.user_id = $1 AND m.role IS NOT NULL`;
type WithMemberRole = Raw & { member_role: MemberRole | null };

const withRole = (row: WithMemberRole, actor: AccessActor) => {
  const knowledgeBase = toKnowledgeBase(row);
  return { knowledgeBase, role: roleOnKnowledgeBase(knowledgeBase, actor, row.member_role) };
};

export interface ReachableKnowledgeBase extends KnowledgeBaseRow {
  /** The caller's role on it (an admin is OWNER of every one). */
  role: MemberRole;
}

/**
 * The knowledge bases an actor may reach, oldest first: their own and those of the workspaces they are a member
 * of, with their role on each; every one for an admin.
 */
export async function listKnowledgeBases(sql: SqlExecutor, actor: AccessActor): Promise<ReachableKnowledgeBase[]> {
  if (actor.role === 'admin') {
    const rows = await sql.query<Raw>(`SELECT ${COLUMNS} FROM knowledge_bases ORDER BY created_at, id`);
    return rows.map((row) => ({ ...toKnowledgeBase(row), role: 'owner' }));
  }
  const rows = await sql.query<WithMemberRole>(
    `${WITH_MEMBER_ROLE} WHERE (kb.workspace_id IS NULL AND kb.owner_id = $1) OR m.user_id IS NOT NULL ORDER BY kb.created_at, kb.id`,
    [actor.id],
  );
  return rows.map((row) => {
    const { knowledgeBase, role } = withRole(row, actor);
    return { ...knowledgeBase, role: role ?? 'viewer' };
  });
}

/** A knowledge base and the actor's role on it (null: none); undefined when there is no such knowledge base. */
export async function knowledgeBaseWithRole(
  sql: SqlExecutor,
  knowledgeBaseId: string,
  actor: AccessActor,
): Promise<{ knowledgeBase: KnowledgeBaseRow; role: MemberRole | null } | undefined> {
  const [row] = await sql.query<WithMemberRole>(`${WITH_MEMBER_ROLE} WHERE kb.id = $2`, [actor.id, knowledgeBaseId]);
  return row && withRole(row, actor);
}

export async function findKnowledgeBase(sql: SqlExecutor, id: string): Promise<KnowledgeBaseRow | undefined> {
  const rows = await sql.query<Raw>(`SELECT ${COLUMNS} FROM knowledge_bases WHERE id = $1`, [id]);
  return rows[0] && toKnowledgeBase(rows[0]);
}

/** How many knowledge bases the user created (their quota usage, workspaces' included). */
export async function countKnowledgeBases(sql: SqlExecutor, ownerId: string): Promise<number> {
  const [row] = await sql.query<{ count: number | string }>(`SELECT count(*) AS count FROM knowledge_bases WHERE owner_id = $1`, [
    ownerId,
  ]);
  return Number(row?.count ?? 0);
}
