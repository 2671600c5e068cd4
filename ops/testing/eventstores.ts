/**
 * Event stores for tests, each on a fresh database, with one close() that drops it:
 * - 'pglite': in memory, from the cached template;
 * - 'postgres': a new database on this machine's Postgres server;
 * - 'esdb': the EventStoreDB at EVENTSTORE_URL (only when set; see esdbTestUrl()).
 */
import type { EventStore } from '../../contracts/eventstore.ts';
import { createEsdbEventStore } from '../../command-side/eventstore/esdb/esdb-event-store.ts';
import { createSqlEventStore, type SqlEventStoreOptions } from '../../command-side/eventstore/sql/sql-event-store.ts';
import type { Sql } from '../../contracts/sql.ts';
import { createTestPglite, createTestPostgres } from './databases.ts';

export type TestEventStoreKind = 'pglite' | 'postgres' | 'esdb';

export interface TestEventStore {
  store: EventStore;
  /** The database under a SQL store (undefined for EventStoreDB). Read models may share it in tests. */
  sql: Sql | undefined;
  /** Postgres only: the scratch database's URL (e.g. for a second process or a second pool). */
  url: string | undefined;
  close(): Promise<void>;
}

/** EventStoreDB to test against, or undefined: no server can run on our build machines. */
export const esdbTestUrl = (): string | undefined => process.env.EVENTSTORE_URL?.startsWith('esdb') ? process.env.EVENTSTORE_URL : undefined;

export async function openTestEventStore(
  kind: 'pglite' | 'postgres',
  options?: SqlEventStoreOptions & { poolSize?: number },
): Promise<TestEventStore & { sql: Sql }>;
export async function openTestEventStore(kind: TestEventStoreKind, options?: SqlEventStoreOptions): Promise<TestEventStore>;
export async function openTestEventStore(
  kind: TestEventStoreKind,
  options: SqlEventStoreOptions & { poolSize?: number } = {},
): Promise<TestEventStore> {
  if (kind === 'pglite') {
    const sql = await createTestPglite();
    const store = await createSqlEventStore(sql, options);
    return { store, sql, url: undefined, close: () => closeAll(store, () => sql.close()) };
  }
  if (kind === 'postgres') {
    const db = await createTestPostgres({ max: options.poolSize });
    const store = await createSqlEventStore(db.sql, options);
    return { store, sql: db.sql, url: db.url, close: () => closeAll(store, () => db.drop()) };
  }
  const url = esdbTestUrl();
  if (!url) throw new Error('EVENTSTORE_URL (esdb://...) is not set: no EventStoreDB to test against');
  const store = await createEsdbEventStore(url);
  return { store, sql: undefined, url, close: () => store.close() };
}

async function closeAll(store: EventStore, release: () => Promise<void>): Promise<void> {
  try {
    await store.close();
  } finally {
    await release();
  }
}
