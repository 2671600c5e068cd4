/**
 * Projection lag: appends at a steady rate and times each event until its row is committed, through the runtime
 * (3 projectors, 2 of which ignore the events) and through the raw engine (one plain subscription inserting the
 * same rows, no checkpoint, no runtime) on the same databases in the same run.
 */
import type { EventStore, RecordedEvent } from '../../contracts/eventstore.ts';
import { comparePositions, type Position } from '../../contracts/position.ts';
import { createProjectionRuntime } from '../../projections/runtime/index.ts';
import type { Sql } from '../../contracts/sql.ts';
import { pino } from 'pino';
import { LEDGER_TABLES, bystander, deposit, ledgerProjector, writeLedger } from './projection-workload.ts';
import { percentile, sortNumbers } from './report.ts';

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
  /** The events of the first `warmMs` (left out of the figures above): their largest lag. */
  warmMax: number;
}

interface LagConsumer {
  start(onVisible: (events: readonly RecordedEvent[]) => void): Promise<void>;
  /** Resolves once everything up to head is visible, and stops. */
  drain(head: Position): Promise<void>;
}

export const runtimeConsumer = (store: EventStore, sql: Sql): LagConsumer => {
  let runtime: ReturnType<typeof createProjectionRuntime> | undefined;
  return {
    async start(onVisible) {
      runtime = createProjectionRuntime({
        sql,
        eventStore: store,
        logger: pino({ level: 'warn' }),
        projectors: [ledgerProjector('lag-ledger'), bystander('lag-bystander-a'), bystander('lag-bystander-b')],
        afterCommit: (_projector, events) => onVisible(events),
      });
      await runtime.start();
    },
    async drain(head) {
      await runtime!.waitForPosition(head, { timeoutMs: 60_000 });
      await runtime!.stop();
    },
  };
};

export const rawConsumer = (store: EventStore, sql: Sql): LagConsumer => {
  let done: Promise<void> | undefined;
  let target: Position | undefined;
  let last: Position = '0-0';
  return {
    async start(onVisible) {
      await sql.exec(`DROP SCHEMA IF EXISTS raw_lag CASCADE; CREATE SCHEMA raw_lag`);
      await sql.transaction(async (tx) => {
        await tx.exec(`SET LOCAL search_path TO raw_lag, public`);
        await tx.exec(LEDGER_TABLES);
      });
      const subscription = store.subscribeToAll({ after: await store.headPosition() });
      done = (async () => {
        while (!target || comparePositions(last, target) < 0) {
          const batch = await subscription.nextBatch(500);
          await sql.transaction(async (tx) => {
            await tx.exec(`SET LOCAL search_path TO raw_lag, public`);
            await writeLedger(tx, batch);
          });
          onVisible(batch);
          last = batch[batch.length - 1]!.position;
        }
        await subscription.close();
        await sql.exec(`DROP SCHEMA raw_lag CASCADE`);
      })();
    },
    async drain(head) {
      target = head;
      await done;
    },
  };
};

/**
 * Appends one event every 1000/rate ms for durationMs; each event is timed until the consumer made it visible. The
 * events of the first `warmMs` are not counted: right after a consumer starts, its first events wait for statements
 * being prepared and code not yet optimised (measured on PGlite: the first ~25 events 25-60 ms, then one of 2,000 above 20 ms), which is start-up,
 * not the lag of a running projection; their largest lag is reported apart.
 */
export async function measureLag(store: EventStore, consumer: LagConsumer, rate: number, durationMs: number, warmMs = 1000): Promise<LagResult> {
  const started = new Map<string, number>();
  const appended = new Map<string, number>();
  const visible = new Map<string, number>();
  await consumer.start((events) => {
    const now = performance.now();
    for (const event of events) visible.set(event.id, now);
  });
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
  await consumer.drain(await store.headPosition());
  const warmUntil = t0 + warmMs;
  const seen = [...visible.keys()].filter((id) => started.has(id));
  const ids = seen.filter((id) => started.get(id)! >= warmUntil);
  const warm = seen.filter((id) => started.get(id)! < warmUntil).map((id) => Math.max(0, visible.get(id)! - appended.get(id)!));
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
    warmMax: Math.max(0, ...warm),
  };
}
