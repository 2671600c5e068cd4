/** Applies the event store's migrations once each, under an advisory lock so concurrent openers agree. */
import type { Sql } from '../../../contracts/sql.ts';
import { MIGRATIONS } from './schema.ts';

const MIGRATION_LOCK = 7_421_001;

export async function migrateEventStore(sql: Sql): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS es_migrations (
      version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM es_migrations')).map((row) => row.version),
    );
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO es_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
  });
}
