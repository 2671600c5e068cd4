/** Queries of the users read model (owned by usersProjector). */
import type { Role, UserView } from '../../contracts/identity.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';

export interface UserRow extends UserView {
  createdAt: string;
  /** When the user was erased (their email and name read as ERASED); null for a live account. */
  erasedAt: string | null;
}

type Raw = {
  id: string;
  email: string;
  display_name: string | null;
  role: Role;
  created_at: Date | string;
  erased_at: Date | string | null;
};

const COLUMNS = 'id, email, display_name, role, created_at, erased_at';

const toUser = (row: Raw): UserRow => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  role: row.role,
  createdAt: new Date(row.created_at).toISOString(),
  erasedAt: row.erased_at === null ? null : new Date(row.erased_at).toISOString(),
});

export async function findUserById(sql: SqlExecutor, id: string): Promise<UserRow | undefined> {
  const rows = await sql.query<Raw>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] && toUser(rows[0]);
}

/** `%`, `_` and the escape character itself match literally in what the user typed. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Users whose email or display name contains `search` (any case), by email; everyone when search is null. Erased
 * users are left out: nothing of theirs is left to find. A sequential scan, which is fine for the number of users
 * an admin scrolls through.
 */
export async function searchUsers(sql: SqlExecutor, search: string | null, limit: number): Promise<UserRow[]> {
  const rows = await sql.query<Raw>(
    `SELECT ${COLUMNS} FROM users
      WHERE erased_at IS NULL AND ($1::text IS NULL OR email ILIKE $1 ESCAPE '\\' OR display_name ILIKE $1 ESCAPE '\\')
      ORDER BY email, id LIMIT $2`,
    [search === null ? null : `%${escapeLike(search)}%`, limit],
  );
  return rows.map(toUser);
}
