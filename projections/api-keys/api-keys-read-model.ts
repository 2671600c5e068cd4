/** Queries of the api_keys read model (owned by apiKeysProjector). */
import type { SqlExecutor } from '../../contracts/sql.ts';
import type { ApiKeyView } from '../../contracts/api-keys.ts';

type Raw = {
  id: string;
  owner_id: string;
  workspace_id: string | null;
  name: string;
  prefix: string;
  credits_per_day: number | string | null;
  requests_per_minute: number | null;
  knowledge_base_ids: string[];
  created_at: Date | string;
  revoked_at: Date | string | null;
};

const COLUMNS = 'id, owner_id, workspace_id, name, prefix, credits_per_day, requests_per_minute, knowledge_base_ids, created_at, revoked_at';

const toApiKey = (row: Raw): ApiKeyView => ({
  id: row.id,
  ownerId: row.owner_id,
  workspaceId: row.workspace_id,
  name: row.name,
  prefix: row.prefix,
  // bigint comes back as a string from postgres.js.
  creditsPerDay: row.credits_per_day === null ? null : Number(row.credits_per_day),
  requestsPerMinute: row.requests_per_minute,
  knowledgeBaseIds: row.knowledge_base_ids,
  createdAt: new Date(row.created_at).toISOString(),
  revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
});

/** A user's personal keys (not the workspace keys they created), revoked ones included, oldest first. */
export async function listApiKeys(sql: SqlExecutor, ownerId: string): Promise<ApiKeyView[]> {
  const rows = await sql.query<Raw>(`SELECT ${COLUMNS} FROM api_keys WHERE owner_id = $1 AND workspace_id IS NULL ORDER BY created_at, id`, [
    ownerId,
  ]);
  return rows.map(toApiKey);
}

/** A workspace's keys, whoever created them, revoked ones included, oldest first. */
export async function listWorkspaceApiKeys(sql: SqlExecutor, workspaceId: string): Promise<ApiKeyView[]> {
  const rows = await sql.query<Raw>(`SELECT ${COLUMNS} FROM api_keys WHERE workspace_id = $1 ORDER BY created_at, id`, [workspaceId]);
  return rows.map(toApiKey);
}

/** Keys not revoked: the workspace's, or (workspaceId null) the user's personal ones (their quota usage). */
export async function countActiveApiKeys(sql: SqlExecutor, scope: { ownerId: string; workspaceId: string | null }): Promise<number> {
  const [row] =
    scope.workspaceId === null
      ? await sql.query<{ count: number | string }>(
          `SELECT count(*) AS count FROM api_keys WHERE owner_id = $1 AND workspace_id IS NULL AND revoked_at IS NULL`,
          [scope.ownerId],
        )
      : await sql.query<{ count: number | string }>(`SELECT count(*) AS count FROM api_keys WHERE workspace_id = $1 AND revoked_at IS NULL`, [
          scope.workspaceId,
        ]);
  return Number(row?.count ?? 0);
}

export async function findApiKey(sql: SqlExecutor, id: string): Promise<ApiKeyView | undefined> {
  const rows = await sql.query<Raw>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
  return rows[0] && toApiKey(rows[0]);
}

/** The key whose secret hashes to this (revoked or not: the caller tells them apart). */
export async function findApiKeyBySecretHash(sql: SqlExecutor, secretSha256: string): Promise<ApiKeyView | undefined> {
  const rows = await sql.query<Raw>(`SELECT ${COLUMNS} FROM api_keys WHERE secret_sha256 = $1`, [secretSha256]);
  return rows[0] && toApiKey(rows[0]);
}
