/**
 * Workloads of the projection benchmark: a ledger projector written the way high-volume projectors should be
 * (set-based SQL over the whole batch), and a rebuild next to the raw engine (read the whole log, INSERT the same
 * rows in the same transaction sizes, no runtime). The lag workload is in projection-lag.ts.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../../contracts/eventstore.ts';
import { rebuildProjection, type Projector } from '../../projections/runtime/index.ts';
import type { Sql, SqlExecutor } from '../../contracts/sql.ts';

export const LEDGER_TABLES = `
CREATE TABLE ledger_lines (event_id uuid PRIMARY KEY, account text NOT NULL, amount bigint NOT NULL, position text NOT NULL);
CREATE TABLE ledger_balances (account text PRIMARY KEY, balance bigint NOT NULL, lines integer NOT NULL)`;

export async function writeLedger(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
  const ids = events.map((e) => e.id);
  const accounts = events.map((e) => e.streamId);
  const amounts = events.map((e) => Number(e.data.amount));
  const positions = events.map((e) => e.position);
  await tx.query(
    `INSERT INTO ledger_lines SELECT * FROM unnest($1::uuid[], $2::text[], $3::int8[], $4::text[])`,
    [ids, accounts, amounts, positions],
  );
  await tx.query(
    `INSERT INTO ledger_balances (account, balance, lines)
     SELECT account, sum(amount), count(*) FROM unnest($1::text[], $2::int8[]) AS t(account, amount) GROUP BY account
     ON CONFLICT (account) DO UPDATE
       SET balance = ledger_balances.balance + EXCLUDED.balance, lines = ledger_balances.lines + EXCLUDED.lines`,
    [accounts, amounts],
  );
}

export const ledgerProjector = (name = 'ledger'): Projector => ({
  name,
  version: 1,
  migrations: [{ version: 1, sql: LEDGER_TABLES }],
  filter: { eventTypes: ['Deposited'] },
  handle: (events, tx) => writeLedger(tx, events),
});

/** A projector that ignores every bench event: what most of the product's projectors do with most events. */
export const bystander = (name: string): Projector => ({
  name,
  version: 1,
  migrations: [{ version: 1, sql: `CREATE TABLE ${name.replace(/-/g, '_')} (id text PRIMARY KEY)` }],
  filter: { eventTypes: ['NeverAppended'] },
  handle: async () => undefined,
});

export const deposit = (i: number) => ({ id: randomUUID(), type: 'Deposited', data: { amount: 1 + (i % 1000), note: 'x'.repeat(80) } });

/** Fills the log with `events` deposits, 100 per append over 1,000 accounts. */
export async function fillLog(store: EventStore, events: number): Promise<void> {
  for (let i = 0; i < events; i += 100) {
    const batch = Array.from({ length: Math.min(100, events - i) }, (_, k) => deposit(i + k));
    await store.append(`acct-${(i / 100) % 1000}`, batch, 'any');
  }
}

/** Events/s of a rebuild of the ledger projection into a fresh schema. */
export async function rebuildRate(store: EventStore, sql: Sql, batchSize: number): Promise<{ rate: number; events: number }> {
  const result = await rebuildProjection({ sql, eventStore: store, projector: ledgerProjector('rebuild-ledger'), batchSize });
  return { rate: result.events / (result.ms / 1000), events: result.events };
}

/** The raw engine: read the whole log in pages, INSERT the same rows page by page, one transaction each. */
export async function rawReadAndInsert(store: EventStore, sql: Sql, batchSize: number): Promise<{ rate: number; readRate: number }> {
  await sql.exec(`DROP SCHEMA IF EXISTS raw_ledger CASCADE; CREATE SCHEMA raw_ledger`);
  await sql.transaction(async (tx) => {
    await tx.exec(`SET LOCAL search_path TO raw_ledger, public`);
    await tx.exec(LEDGER_TABLES);
  });
  const started = performance.now();
  let readMs = 0;
  let events = 0;
  let after: string | undefined;
  for (;;) {
    const readStarted = performance.now();
    const page = await store.readAll({ ...(after && { after }), maxCount: batchSize });
    readMs += performance.now() - readStarted;
    if (page.length === 0) break;
    await sql.transaction(async (tx) => {
      await tx.exec(`SET LOCAL search_path TO raw_ledger, public`);
      await writeLedger(tx, page);
    });
    events += page.length;
    after = page[page.length - 1]!.position;
  }
  await sql.exec(`DROP SCHEMA raw_ledger CASCADE`);
  return { rate: events / ((performance.now() - started) / 1000), readRate: events / (readMs / 1000) };
}
