/**
 * The runtime's own tables: one checkpoint row per projector and the migrations applied per projector. They are
 * referenced unqualified like the projectors' tables, so a rebuild in a fresh schema gets its own copies.
 */
import { START, type Position } from '../../contracts/position.ts';
import { lockDdl } from '../../contracts/ddl-lock.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import type { Projector } from './projector.ts';

export const RUNTIME_TABLES = ['projection_checkpoints', 'projection_migrations'] as const;

const RUNTIME_DDL = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  projector text PRIMARY KEY,
  position text NOT NULL,
  version integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS projection_migrations (
  projector text NOT NULL,
  version integer NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (projector, version)
);`;

export async function ensureRuntimeTables(tx: SqlExecutor): Promise<void> {
  await lockDdl(tx);
  await tx.exec(RUNTIME_DDL);
}

export interface Checkpoint {
  position: Position;
  version: number;
}

export async function readCheckpoint(
  tx: SqlExecutor,
  projector: string,
  lock: 'none' | 'share' | 'update' = 'none',
): Promise<Checkpoint | undefined> {
  const suffix = lock === 'none' ? '' : lock === 'share' ? ' FOR SHARE' : ' FOR UPDATE';
  const rows = await tx.query<{ position: string; version: number }>(
    `SELECT position, version FROM projection_checkpoints WHERE projector = $1${suffix}`,
    [projector],
  );
  return rows[0];
}

export async function readCheckpoints(tx: SqlExecutor, projectors: readonly string[]): Promise<Map<string, Position>> {
  const rows = await tx.query<{ projector: string; position: string }>(
    `SELECT projector, position FROM projection_checkpoints WHERE projector = ANY($1::text[])`,
    [projectors],
  );
  return new Map(rows.map((row) => [row.projector, row.position]));
}

export async function writeCheckpoint(tx: SqlExecutor, projector: string, checkpoint: Checkpoint): Promise<void> {
  await tx.query(
    `INSERT INTO projection_checkpoints (projector, position, version) VALUES ($1, $2, $3)
     ON CONFLICT (projector) DO UPDATE SET position = EXCLUDED.position, version = EXCLUDED.version, updated_at = now()`,
    [projector, checkpoint.position, checkpoint.version],
  );
}

/**
 * Applies the projector's migrations not yet recorded, in order, in the current search_path, after creating the
 * extensions it needs in public (shared by the live and the rebuild schemas).
 */
export async function applyMigrations(tx: SqlExecutor, projector: Projector): Promise<number[]> {
  await lockDdl(tx);
  for (const extension of projector.extensions ?? []) {
    await tx.exec(`CREATE EXTENSION IF NOT EXISTS "${extension}" WITH SCHEMA public`);
  }
  const rows = await tx.query<{ version: number }>(
    `SELECT version FROM projection_migrations WHERE projector = $1`,
    [projector.name],
  );
  const applied = new Set(rows.map((row) => row.version));
  const done: number[] = [];
  for (const migration of projector.migrations) {
    if (applied.has(migration.version)) continue;
    await tx.exec(migration.sql);
    await tx.query(`INSERT INTO projection_migrations (projector, version) VALUES ($1, $2)`, [
      projector.name,
      migration.version,
    ]);
    done.push(migration.version);
  }
  return done;
}

/**
 * Makes the projection ready in the current search_path: its migrations and a checkpoint (at the start of the log
 * on first start). A checkpoint written by another projector version is returned untouched with `stale: true`:
 * that projection must be rebuilt, not migrated.
 */
export async function prepareProjection(
  tx: SqlExecutor,
  projector: Projector,
): Promise<{ checkpoint: Checkpoint; stale: boolean }> {
  await ensureRuntimeTables(tx);
  const existing = await readCheckpoint(tx, projector.name, 'update');
  if (existing && existing.version !== projector.version) return { checkpoint: existing, stale: true };
  await applyMigrations(tx, projector);
  if (existing) return { checkpoint: existing, stale: false };
  const checkpoint = { position: START, version: projector.version };
  await writeCheckpoint(tx, projector.name, checkpoint);
  return { checkpoint, stale: false };
}
