/** Test wiring for the runtime's integration tests: a real event store and a separate read-model database. */
import pino from 'pino';
import type { EventStore } from '../../contracts/eventstore.ts';
import { createTestPglite, createTestPostgres } from '../../ops/testing/databases.ts';
import { openTestEventStore } from '../../ops/testing/eventstores.ts';
import type { Sql } from '../../contracts/sql.ts';
import { createProjectionRuntime, type ProjectionRuntime, type ProjectionRuntimeOptions } from './runtime.ts';

export interface RuntimeTestEnv {
  kind: 'pglite' | 'postgres';
  store: EventStore;
  sql: Sql;
  /** Postgres only: the read-model database's URL. */
  url: string | undefined;
  /** Every log line of the runtimes made by runtime(). */
  logs: string[];
  runtime(options: Partial<ProjectionRuntimeOptions>): ProjectionRuntime;
  close(): Promise<void>;
}

export async function openRuntimeTestEnv(kind: 'pglite' | 'postgres'): Promise<RuntimeTestEnv> {
  const cleanups: (() => Promise<void>)[] = [];
  const events = await openTestEventStore(kind);
  cleanups.push(() => events.close());
  let sql: Sql;
  let url: string | undefined;
  if (kind === 'pglite') {
    const pglite = await createTestPglite();
    sql = pglite;
    cleanups.push(() => pglite.close());
  } else {
    const db = await createTestPostgres();
    sql = db.sql;
    url = db.url;
    cleanups.push(() => db.drop());
  }
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  return {
    kind,
    store: events.store,
    sql,
    url,
    logs,
    runtime(options) {
      const runtime = createProjectionRuntime({ sql, eventStore: events.store, logger, projectors: [], ...options });
      cleanups.push(() => runtime.stop());
      return runtime;
    },
    async close() {
      while (cleanups.length > 0) await cleanups.pop()!();
    },
  };
}
