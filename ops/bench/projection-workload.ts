/**
 * Workloads of the projection benchmark: a ledger projector written the way high-volume projectors should be
 * (set-based SQL over the whole batch), the lag from append to visible row at a steady rate, and a rebuild next to
 * the raw engine (read the whole log, INSERT the same rows in the same transaction sizes, no runtime).
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../../contracts/eventstore.ts';
import { createProjectionRuntime, rebuildProjection, type Projector } from '../../projections/runtime/index.ts';
import type { Sql, SqlExecutor } from '../sql/types.ts';
import { pino } from 'pino';
import { percentile, sortNumbers } from './report.ts';

const LEDGER_TABLES = `
CREATE TABLE ledger_lines (event_id uuid PRIMARY KEY, account text NOT NULL, amount bigint NOT NULL, position text NOT NULL);
CREATE TABLE ledger_balances (account text PRIMARY KEY, balance bigint NOT NULL, lines integer NOT NULL)`;

async function writeLedger(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
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
const bystander = (name: string): Projector => ({
  name,
  version: 1,
  migrations: [{ version: 1, sql: `CREATE TABLE ${name.replace(/-/g, '_')} (id text PRIMARY KEY)` }],
  filter: { eventTypes: ['NeverAppended'] },
  handle: async () => undefined,
});

const deposit = (i: number) => ({ id: randomUUID(), type: 'Deposited', data: { amount: 1 + (i % 1000), note: 'x'.repeat(80) } });

export interface LagResult {
  /** Append committed (its promise resolved) -> row committed: what the projection adds. */
  p50: number;
  p99: number;
  max: number;
  /** Append called -> row committed: includes queueing in an overloaded store. */
  endToEndP99: number;
  samples: number;
  appendP50: number;
  /** Appends/s actually reached. */
  achievedRate: number;
}

/** Appends one event every 1000/rate ms for durationMs and times each until its row is committed (afterCommit). */
export async function projectionLag(store: EventStore, sql: Sql, rate: number, durationMs: number): Promise<LagResult> {
  const started = new Map<string, number>();
  const appended = new Map<string, number>();
  const visible = new Map<string, number>();
  const runtime = createProjectionRuntime({
    sql,
    eventStore: store,
    logger: pino({ level: 'warn' }),
    projectors: [ledgerProjector('lag-ledger'), bystander('lag-bystander-a'), bystander('lag-bystander-b')],
    afterCommit: (_projector, events) => {
      const now = performance.now();
      for (const event of events) visible.set(event.id, now);
    },
  });
  await runtime.start();
  const appendTimes: number[] = [];
  const appends: Promise<unknown>[] = [];
  const count = Math.round((rate * durationMs) / 1000);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const event = deposit(i);
    const at = performance.now();
    started.set(event.id, at);
    appends.push(
      store.append(`lag-${i % 50}`, [event], 'any').then(() => {
        appended.set(event.id, performance.now());
        appendTimes.push(performance.now() - at);
      }),
    );
  }
  await Promise.all(appends);
  const achievedRate = count / ((performance.now() - t0) / 1000);
  await runtime.waitForPosition(await store.headPosition(), { timeoutMs: 30_000 });
  await runtime.stop();
  const ids = [...visible.keys()];
  // The row can be visible before the appender's promise resolves: that counts as no lag.
  const sorted = sortNumbers(ids.map((id) => Math.max(0, visible.get(id)! - appended.get(id)!)));
  const endToEnd = sortNumbers(ids.map((id) => visible.get(id)! - started.get(id)!));
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
    endToEndP99: percentile(endToEnd, 99),
    samples: sorted.length,
    appendP50: percentile(sortNumbers(appendTimes), 50),
    achievedRate,
  };
}

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
