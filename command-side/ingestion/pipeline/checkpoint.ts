/** Where the pipeline worker is in the log: one row per worker name, in the SQL database it is given. */
import { START, type Position } from '../../../contracts/position.ts';
import { ensureTable as ensureTableOnce } from '../../../contracts/ddl-lock.ts';
import type { Sql } from '../../../contracts/sql.ts';

export interface WorkerCheckpoints {
  load(name: string): Promise<Position>;
  save(name: string, position: Position): Promise<void>;
}

export function sqlWorkerCheckpoints(sql: Sql): WorkerCheckpoints {
  let ready: Promise<void> | undefined;
  const ensureTable = () =>
    (ready ??= ensureTableOnce(sql, `CREATE TABLE IF NOT EXISTS worker_checkpoints (
      name text PRIMARY KEY,
      position text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`));
  return {
    async load(name) {
      await ensureTable();
      const rows = await sql.query<{ position: string }>('SELECT position FROM worker_checkpoints WHERE name = $1', [name]);
      return rows[0]?.position ?? START;
    },
    async save(name, position) {
      await ensureTable();
      await sql.query(
        `INSERT INTO worker_checkpoints (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
        [name, position],
      );
    },
  };
}
