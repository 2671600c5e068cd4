/**
 * Puts a rebuild in place of the live tables, in one transaction: the live tables of the projection are dropped,
 * the rebuilt ones moved into the live schema (indexes and owned sequences move with them), and the live
 * checkpoint and migration records take the rebuild's values. A live projector of the same projection (here or in
 * another process) notices the checkpoint it does not expect at its next batch and resubscribes from it.
 * Migrations should create tables, indexes and sequences only: other objects stay in the rebuild schema, which is
 * then kept.
 */
import type { Sql } from '../../contracts/sql.ts';
import { lockDdl } from '../../contracts/ddl-lock.ts';
import { ensureRuntimeTables, readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoints.ts';
import type { Projector } from './projector.ts';
import { liveSchema, projectionTables, quoteIdent } from './rebuild.ts';

export async function swapRebuild(sql: Sql, projector: Projector, schema: string): Promise<Checkpoint> {
  const checkpoint = await sql.transaction(async (tx) => {
    await ensureRuntimeTables(tx);
    await lockDdl(tx);
    await readCheckpoint(tx, projector.name, 'update');
    const live = quoteIdent(await liveSchema(tx));
    const fresh = quoteIdent(schema);
    const rows = await tx.query<{ position: string; version: number }>(
      `SELECT position, version FROM ${fresh}.projection_checkpoints WHERE projector = $1`,
      [projector.name],
    );
    const rebuilt = rows[0];
    if (!rebuilt) throw new Error(`schema ${schema} holds no rebuild of ${projector.name}`);
    for (const table of await projectionTables(tx, schema)) {
      await tx.exec(
        `DROP TABLE IF EXISTS ${live}.${quoteIdent(table)} CASCADE; ALTER TABLE ${fresh}.${quoteIdent(table)} SET SCHEMA ${live}`,
      );
    }
    await writeCheckpoint(tx, projector.name, rebuilt);
    await tx.query(`DELETE FROM projection_migrations WHERE projector = $1`, [projector.name]);
    await tx.query(
      `INSERT INTO projection_migrations (projector, version, applied_at)
       SELECT projector, version, applied_at FROM ${fresh}.projection_migrations WHERE projector = $1`,
      [projector.name],
    );
    return rebuilt;
  });
  // Not CASCADE: a type or function a migration made would still be used by the moved tables.
  await sql
    .exec(`DROP TABLE ${quoteIdent(schema)}.projection_checkpoints, ${quoteIdent(schema)}.projection_migrations;
           DROP SCHEMA ${quoteIdent(schema)}`)
    .catch(() => undefined);
  return checkpoint;
}

/** Drops a rebuild schema and everything in it. */
export async function dropRebuild(sql: Sql, schema: string): Promise<void> {
  await sql.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
}
