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
import { retry, type Backoff } from './retry.ts';

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

/** A database or storage outage: waits from 100 ms up to 5 s. */
const REACTOR_BACKOFF: Backoff = { firstDelayMs: 100, maxDelayMs: 5000, jitter: 0 };

export async function startReactor(options: ReactorOptions): Promise<Reactor> {
  const { sql, name } = options;
  let position = await readCheckpoint(sql, name);
  const subscription: EventSubscription = options.store.subscribeToAll({ after: position, filter: options.filter });
  const stopping = new AbortController();
  const handleAndCheckpoint = async (batch: readonly RecordedEvent[]) => {
    await options.handle(batch);
    position = batch[batch.length - 1]!.position;
    await writeCheckpoint(sql, name, position);
  };
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      const batch = await subscription.nextBatch(100);
      if (batch.length === 0) break;
      // Retried until it passes; it throws only once stopped, and the batch is then handed over again next start.
      await retry(() => handleAndCheckpoint(batch), {
        retries: Infinity,
        backoff: REACTOR_BACKOFF,
        signal: stopping.signal,
        onRetry: (error) => options.onError?.(error),
      }).catch(() => undefined);
    }
  })();
  return {
    position: () => position,
    async stop() {
      stopping.abort();
      await subscription.close();
      await loop;
    },
  };
}
