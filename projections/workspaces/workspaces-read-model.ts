/** Queries of the workspaces read model (owned by workspacesProjector). */
import type { SqlExecutor } from '../../contracts/sql.ts';
import type { MemberRole } from '../../contracts/workspaces.ts';

export interface WorkspaceRow {
  id: string;
  name: string;
  ownerId: string;
  walletOpen: boolean;
  createdAt: string;
}

export interface WorkspaceMemberRow {
  workspaceId: string;
  userId: string;
  role: MemberRole;
  joinedAt: string;
}

type RawWorkspace = { id: string; name: string; owner_id: string; wallet_open: boolean; created_at: Date | string };
type RawMember = { workspace_id: string; user_id: string; role: MemberRole; joined_at: Date | string };

const toWorkspace = (row: RawWorkspace): WorkspaceRow => ({
  id: row.id,
  name: row.name,
  ownerId: row.owner_id,
  walletOpen: row.wallet_open,
  createdAt: new Date(row.created_at).toISOString(),
});

const toMember = (row: RawMember): WorkspaceMemberRow => ({
  workspaceId: row.workspace_id,
  userId: row.user_id,
  role: row.role,
  joinedAt: new Date(row.joined_at).toISOString(),
});

/** The workspaces a user is a member of, oldest first; `userId` undefined lists all (for admins). */
export async function listWorkspaces(sql: SqlExecutor, userId: string | undefined): Promise<WorkspaceRow[]> {
  const rows =
    userId === undefined
      ? await sql.query<RawWorkspace>(`SELECT * FROM workspaces ORDER BY created_at, id`)
      : await sql.query<RawWorkspace>(
          `SELECT w.* FROM workspaces w
           JOIN workspace_members m ON m.workspace_id = w.id AND m.user_id = $1 AND m.role IS NOT NULL
           ORDER BY w.created_at, w.id`,
          [userId],
        );
  return rows.map(toWorkspace);
}

export async function findWorkspace(sql: SqlExecutor, workspaceId: string): Promise<WorkspaceRow | undefined> {
  const [row] = await sql.query<RawWorkspace>(`SELECT * FROM workspaces WHERE id = $1`, [workspaceId]);
  return row && toWorkspace(row);
}

/** Owners first, then by when they joined. */
export async function listMembers(sql: SqlExecutor, workspaceId: string): Promise<WorkspaceMemberRow[]> {
  const rows = await sql.query<RawMember>(
    `SELECT workspace_id, user_id, role, joined_at FROM workspace_members WHERE workspace_id = $1 AND role IS NOT NULL
     ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, joined_at, user_id`,
    [workspaceId],
  );
  return rows.map(toMember);
}

export async function memberRole(sql: SqlExecutor, workspaceId: string, userId: string): Promise<MemberRole | null> {
  const [row] = await sql.query<{ role: MemberRole | null }>(`SELECT role FROM workspace_members WHERE workspace_id = $1 AND user_id = $2`, [
    workspaceId,
    userId,
  ]);
  return row?.role ?? null;
}
