/**
 * Rebuilding a projection from the log into FRESH tables: a schema of its own (`rebuild_<name>`) put first on the
 * search_path (public stays on it: pgvector's types live there), the projector's migrations run there, then every
 * event of the log goes through its handler in large batches. The live tables keep serving meanwhile.
 * verify.ts compares the result with the live tables; swap.ts puts it in their place.
 */
import type { EventStore, RecordedEvent } from '../../contracts/eventstore.ts';
import { START, comparePositions, type Position } from '../../contracts/position.ts';
import type { Sql, SqlExecutor } from '../../contracts/sql.ts';
import { applyMigrations, ensureRuntimeTables, readCheckpoint, writeCheckpoint } from './checkpoints.ts';
import { matchesFilter, type Projector } from './projector.ts';

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const rebuildSchemaName = (projector: Projector) => `rebuild_${projector.name.replace(/-/g, '_')}`;

/** Runs fn in a transaction whose unqualified names resolve in `schema` first. */
export function inSchema<T>(sql: Sql, schema: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return sql.transaction(async (tx) => {
    await tx.exec(`SET LOCAL search_path TO ${quoteIdent(schema)}, public`);
    return fn(tx);
  });
}

export interface RebuildTarget {
  sql: Sql;
  eventStore: EventStore;
  projector: Projector;
  /** Default: rebuild_<name>. */
  schema?: string;
  /** Events per read and per transaction. */
  batchSize?: number;
  /** After each committed batch: events read so far and the position reached (progress bars). */
  onProgress?(progress: { events: number; position: Position }): void;
}

export interface RebuildResult {
  schema: string;
  position: Position;
  /** Events read from the log (handled or filtered out). */
  events: number;
  ms: number;
}

/** Drops and recreates the rebuild schema, then projects the log into it up to `until` (default: the head). */
export async function rebuildProjection(target: RebuildTarget, until?: Position): Promise<RebuildResult> {
  const started = performance.now();
  const schema = target.schema ?? rebuildSchemaName(target.projector);
  await target.sql.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE; CREATE SCHEMA ${quoteIdent(schema)}`);
  await inSchema(target.sql, schema, async (tx) => {
    await ensureRuntimeTables(tx);
    await applyMigrations(tx, target.projector);
    await writeCheckpoint(tx, target.projector.name, { position: START, version: target.projector.version });
  });
  const { position, events } = await catchUpRebuild({ ...target, schema }, until);
  return { schema, position, events, ms: performance.now() - started };
}

/**
 * Projects the events after the rebuild's checkpoint up to `until` (inclusive; default: the head). Reading the next
 * batch overlaps writing the current one: the log and the read models are separate connections.
 */
export async function catchUpRebuild(
  target: RebuildTarget & { schema: string },
  until?: Position,
): Promise<{ position: Position; events: number }> {
  const { sql, eventStore, projector, schema } = target;
  const batchSize = target.batchSize ?? 2000;
  const start = await inSchema(sql, schema, (tx) => readCheckpoint(tx, projector.name));
  if (!start) throw new Error(`schema ${schema} holds no rebuild of ${projector.name}`);
  let position = start.position;
  let events = 0;
  const read = async (after: Position): Promise<RecordedEvent[]> => {
    if (until !== undefined && comparePositions(after, until) >= 0) return [];
    const batch = await eventStore.readAll({ after, maxCount: batchSize });
    if (until === undefined) return batch;
    const end = batch.findIndex((event) => comparePositions(event.position, until) > 0);
    return end === -1 ? batch : batch.slice(0, end);
  };
  let next = read(position);
  for (;;) {
    const batch = await next;
    if (batch.length === 0) break;
    const last = batch[batch.length - 1]!.position;
    next = read(last);
    const relevant = batch.filter((event) => matchesFilter(projector.filter, event));
    await inSchema(sql, schema, async (tx) => {
      if (relevant.length > 0) await projector.handle(relevant, tx, { projector: projector.name, rebuilding: true });
      await writeCheckpoint(tx, projector.name, { position: last, version: projector.version });
    });
    position = last;
    events += batch.length;
    target.onProgress?.({ events, position });
  }
  return { position, events };
}

/** The projector's tables in a schema (everything but the runtime's own tables). */
export async function projectionTables(tx: SqlExecutor, schema: string): Promise<string[]> {
  const rows = await tx.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = $1
       AND tablename NOT IN ('projection_checkpoints', 'projection_migrations') ORDER BY tablename`,
    [schema],
  );
  return rows.map((row) => row.tablename);
}

export async function liveSchema(tx: SqlExecutor): Promise<string> {
  const rows = await tx.query<{ schema: string }>(`SELECT current_schema() AS schema`);
  return rows[0]!.schema;
}
