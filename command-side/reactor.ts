/**
 * A reactor: follows the events a filter picks from its own checkpoint (a row of reactor_checkpoints in the SQL
 * database it is given) and hands them to `handle` batch by batch. The checkpoint moves only after a batch is
 * handled, so a crash hands that batch over again: `handle` must be idempotent. A failing batch (database or
 * storage down) is retried with backoff, never skipped.
 */
import type { EventFilter, EventStore, EventSubscription, RecordedEvent } from '../contracts/eventstore.ts';
import { START, type Position } from '../contracts/position.ts';
import { ensureTable } from '../contracts/ddl-lock.ts';
import type { Sql } from '../contracts/sql.ts';

export interface ReactorOptions {
  /** Checkpoint key. */
  name: string;
  store: EventStore;
  sql: Sql;
  filter: EventFilter;
  handle(batch: readonly RecordedEvent[]): Promise<void>;
  onError?: (error: unknown) => void;
}

export interface Reactor {
  /** Position of the last event fully handled. */
  position(): Position;
  stop(): Promise<void>;
}

async function readCheckpoint(sql: Sql, name: string): Promise<Position> {
  await ensureTable(sql, `CREATE TABLE IF NOT EXISTS reactor_checkpoints (reactor text PRIMARY KEY, position text NOT NULL)`);
  const rows = await sql.query<{ position: string }>(`SELECT position FROM reactor_checkpoints WHERE reactor = $1`, [name]);
  return rows[0]?.position ?? START;
}

const writeCheckpoint = (sql: Sql, name: string, position: Position) =>
  sql.query(
    `INSERT INTO reactor_checkpoints (reactor, position) VALUES ($1, $2)
     ON CONFLICT (reactor) DO UPDATE SET position = EXCLUDED.position`,
    [name, position],
  );

export async function startReactor(options: ReactorOptions): Promise<Reactor> {
  const { sql, name } = options;
  let position = await readCheckpoint(sql, name);
  const subscription: EventSubscription = options.store.subscribeToAll({ after: position, filter: options.filter });
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const batch = await subscription.nextBatch(100);
      if (batch.length === 0) break;
      for (let attempt = 0; !stopped; attempt++) {
        try {
          await options.handle(batch);
          position = batch[batch.length - 1]!.position;
          await writeCheckpoint(sql, name, position);
          break;
        } catch (error) {
          options.onError?.(error);
          await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)));
        }
      }
    }
  })();
  return {
    position: () => position,
    async stop() {
      stopped = true;
      await subscription.close();
      await loop;
    },
  };
}
