/**
 * Does a rebuild equal the live tables? Both must stand at the same log position, so the rebuild first catches up
 * to the live checkpoint, then the comparison runs in one transaction that holds the live checkpoint row (FOR
 * SHARE), so a live projector in another process cannot move it meanwhile. Rows are compared both ways with
 * EXCEPT ALL (duplicates count); nothing is ignored but the checkpoint tables.
 */
import { comparePositions, type Position } from '../../contracts/position.ts';
import { SqlError, type SqlExecutor } from '../../contracts/sql.ts';
import { readCheckpoint } from './checkpoints.ts';
import { catchUpRebuild, inSchema, liveSchema, projectionTables, quoteIdent, type RebuildTarget } from './rebuild.ts';

const UNDEFINED_TABLE = '42P01';

export interface TableDifference {
  table: string;
  /** Rows of the live table the rebuild does not have. */
  onlyLive: number;
  /** Rows of the rebuild the live table does not have. */
  onlyRebuilt: number;
  /** The live schema has no such table. */
  missingLive?: true;
}

export interface VerifyResult {
  equal: boolean;
  position: Position;
  tables: TableDifference[];
  /** Why no comparison was possible (e.g. the live projection is behind the rebuild and did not catch up). */
  reason?: string;
}

async function columnsOf(tx: SqlExecutor, schema: string, table: string): Promise<string[]> {
  const rows = await tx.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2
     ORDER BY ordinal_position`,
    [schema, table],
  );
  return rows.map((row) => row.column_name);
}

async function compareTable(tx: SqlExecutor, live: string, rebuilt: string, table: string): Promise<TableDifference> {
  const liveColumns = await columnsOf(tx, live, table);
  if (liveColumns.length === 0) return { table, onlyLive: 0, onlyRebuilt: 0, missingLive: true };
  const columns = (await columnsOf(tx, rebuilt, table)).map(quoteIdent).join(', ');
  const from = (schema: string) => `SELECT ${columns} FROM ${quoteIdent(schema)}.${quoteIdent(table)}`;
  const count = async (a: string, b: string) =>
    (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${from(a)} EXCEPT ALL ${from(b)}) AS d`))[0]!.n;
  return { table, onlyLive: await count(live, rebuilt), onlyRebuilt: await count(rebuilt, live) };
}

export async function verifyRebuild(
  target: RebuildTarget & { schema: string },
  options: { waitForLiveMs?: number } = {},
): Promise<VerifyResult> {
  const { sql, projector, schema } = target;
  const deadline = Date.now() + (options.waitForLiveMs ?? 5000);
  for (;;) {
    const live = await sql.transaction((tx) => readCheckpoint(tx, projector.name)).catch((error: unknown) => {
      if (error instanceof SqlError && error.code === UNDEFINED_TABLE) return undefined; // nothing ever ran live
      throw error;
    });
    if (!live) return { equal: false, position: '0-0', tables: [], reason: `${projector.name} has no live checkpoint` };
    const rebuilt = await inSchema(sql, schema, (tx) => readCheckpoint(tx, projector.name));
    if (!rebuilt) throw new Error(`schema ${schema} holds no rebuild of ${projector.name}`);
    const order = comparePositions(rebuilt.position, live.position);
    if (order < 0) {
      await catchUpRebuild(target, live.position);
      continue;
    }
    if (order > 0) {
      if (Date.now() > deadline) {
        const reason = `live ${projector.name} is at ${live.position}, behind the rebuild at ${rebuilt.position}`;
        return { equal: false, position: rebuilt.position, tables: [], reason };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    const result = await sql.transaction(async (tx) => {
      const held = await readCheckpoint(tx, projector.name, 'share');
      if (held?.position !== rebuilt.position) return undefined;
      const liveName = await liveSchema(tx);
      const tables: TableDifference[] = [];
      for (const table of await projectionTables(tx, schema)) tables.push(await compareTable(tx, liveName, schema, table));
      const equal = tables.every((t) => !t.missingLive && t.onlyLive === 0 && t.onlyRebuilt === 0);
      return { equal, position: rebuilt.position, tables };
    });
    if (result) return result;
  }
}
