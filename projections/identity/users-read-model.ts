/** Queries of the users read model (owned by usersProjector). */
import type { Role, UserView } from '../../contracts/identity.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';

export interface UserRow extends UserView {
  createdAt: string;
}

type Raw = { id: string; email: string; display_name: string | null; role: Role; created_at: Date | string };

const toUser = (row: Raw): UserRow => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  role: row.role,
  createdAt: new Date(row.created_at).toISOString(),
});

export async function findUserById(sql: SqlExecutor, id: string): Promise<UserRow | undefined> {
  const rows = await sql.query<Raw>(`SELECT id, email, display_name, role, created_at FROM users WHERE id = $1`, [id]);
  return rows[0] && toUser(rows[0]);
}
