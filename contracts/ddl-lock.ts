/**
 * DDL that several processes sharing a Postgres may run at once. Two concurrent CREATE TABLE IF NOT EXISTS can both
 * pass the "not exists" check, and one then fails on a duplicate catalog row (pg_type_typname_nsp_index): seen when
 * two pipeline workers started together on a fresh database. One transaction advisory lock serialises all of it
 * (projection migrations and swaps, checkpoint tables).
 * It lives next to the SQL port because the lock's name is an agreement between every process that writes DDL
 * (command side and projections alike), and it runs through the port alone.
 */
import type { Sql, SqlExecutor } from './sql.ts';

/** Call first inside the transaction that runs the DDL; held until it ends. */
export const lockDdl = (tx: SqlExecutor) => tx.query(`SELECT pg_advisory_xact_lock(hashtext('knowledge-assistant-ddl'))`);

export async function ensureTable(sql: Sql, createIfNotExists: string): Promise<void> {
  await sql.transaction(async (tx) => {
    await lockDdl(tx);
    await tx.exec(createIfNotExists);
  });
}
