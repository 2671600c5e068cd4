/**
 * What the saga crash/restart test and its child process share (test code only): the database both open (a
 * Postgres database by URL, or a PGlite directory one process at a time) and the saga's dependencies on it,
 * including the SQL checkpoint store a real saga keeps its place in.
 */
import type { EventStore } from '../../contracts/eventstore.ts';
import type { Sql } from '../../contracts/sql.ts';
import { connectTestPostgres } from '../../ops/testing/databases.ts';
import { openTestPgliteAt } from '../../ops/testing/pglite-dirs.ts';
import { createSqlEventStore } from '../eventstore/sql/sql-event-store.ts';
import { sqlWorkerCheckpoints } from '../ingestion/pipeline/checkpoint.ts';
import { WalletCommandHandler } from '../wallet/handler.ts';
import type { TurnsDeps } from './create-turns.ts';
import { scriptedGenerator } from './scripted-generator.testing.ts';
import { fixedSearch, memoryFeed, PRICES } from './turns.testing.ts';

export interface CrashTarget {
  kind: 'pglite' | 'postgres';
  /** Postgres URL or PGlite directory. */
  location: string;
}

export interface OpenedTarget {
  store: EventStore;
  sql: Sql;
  close(): Promise<void>;
}

export async function openTarget(target: CrashTarget): Promise<OpenedTarget> {
  const sql = target.kind === 'postgres' ? connectTestPostgres(target.location, { max: 4 }) : await openTestPgliteAt(target.location);
  const store = await createSqlEventStore(sql, { ownsSql: true });
  return { store, sql, close: () => store.close() };
}

/** Questions starting with "refused" get no answer (the turn fails and releases); the others a short one. */
export const crashGenerator = () =>
  scriptedGenerator((request) =>
    request.question.startsWith('refused') ? { tokens: [], fail: 'unavailable' } : { tokens: ['Pumps ', 'move ', 'water ', 'uphill ', '[1].'], delayMs: 20 },
  );

export function sagaDeps(opened: OpenedTarget): TurnsDeps {
  return {
    store: opened.store,
    wallets: new WalletCommandHandler(opened.store),
    search: fixedSearch(),
    generator: crashGenerator(),
    feed: memoryFeed(),
    prices: PRICES,
    reservationTimeoutMs: 60_000,
    checkpoints: sqlWorkerCheckpoints(opened.sql),
    sweepMs: 200,
    retryDelayMs: 20,
  };
}
