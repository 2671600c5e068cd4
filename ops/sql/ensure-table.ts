/**
 * CREATE TABLE IF NOT EXISTS that several processes may run at once: on Postgres two concurrent ones can both pass
 * the "not exists" check and one then fails on a duplicate catalog row (pg_type_typname_nsp_index). Seen when two
 * pipeline workers started together on a fresh database. A transaction advisory lock serialises them.
 */
import type { Sql } from './types.ts';

export async function ensureTable(sql: Sql, createIfNotExists: string): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('knowledge-assistant-ensure-table'))`);
    await tx.exec(createIfNotExists);
  });
}
