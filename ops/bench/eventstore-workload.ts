/**
 * Workloads of the event store benchmark: the store's batched appends next to the raw engine (eventstore-raw.ts:
 * the same rows in the same 100-event appends, with the same revision check, one call each), single appends, live
 * latency, catch-up.
 */
import { randomUUID } from 'node:crypto';
import type { EventData, EventStore } from '../../contracts/eventstore.ts';
import { START, comparePositions } from '../../contracts/position.ts';
import type { Sql } from '../../contracts/sql.ts';
import { appendRaw } from './eventstore-raw.ts';

export const BATCH = 100;

export function benchEvent(i: number): EventData {
  return {
    type: i % 3 === 0 ? 'FundsReserved' : 'ChunkEmbedded',
    data: { walletId: `w-${i % 97}`, amount: 1000 + i, reference: `ref-${i}`, note: 'x'.repeat(120) },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  };
}

/** One writer's sequence of 100-event appends to its own streams, each at the exact revision it last wrote. */
async function writeBatches(
  appendOne: (stream: string, events: EventData[], expected: number | 'no_stream') => Promise<void>,
  writer: number,
  appends: number,
  tag: string,
): Promise<void> {
  const revisions = new Map<string, number>();
  for (let a = 0; a < appends; a++) {
    const stream = `${tag}-${writer}-${a % 20}`;
    const events = Array.from({ length: BATCH }, (_, k) => benchEvent(a * BATCH + k));
    const current = revisions.get(stream);
    await appendOne(stream, events, current ?? 'no_stream');
    revisions.set(stream, (current ?? -1) + BATCH);
  }
}

/** Events/s of the store's batched appends with `writers` concurrent writers. */
export async function storeBatched(
  store: EventStore,
  writers: number,
  appends: number,
  tag: string,
  watch?: { enable(): void; disable(): void },
): Promise<number> {
  watch?.enable();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, (_, w) =>
      writeBatches(async (s, e, x) => void (await store.append(s, e, x)), w, appends, tag),
    ),
  );
  watch?.disable();
  return (writers * appends * BATCH) / ((performance.now() - started) / 1000);
}

/** Events/s of the raw engine (eventstore-raw.ts): the same rows in the same 100-event appends. */
export async function rawBatched(sql: Sql, writers: number, appends: number, tag: string): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, (_, w) => writeBatches((s, e, x) => appendRaw(sql, s, e, x), w, appends, tag)),
  );
  return (writers * appends * BATCH) / ((performance.now() - started) / 1000);
}

/**
 * Latencies (ms) of 100-event appends of the store and of the raw engine side by side: every writer alternates a
 * store append and a raw append of the same events (which goes first alternates too), so whatever else loads this
 * shared machine at that moment loads both alike. Rounds of seconds each were not enough: their ratio swung
 * 80-170% between runs.
 */
export async function pairedLatencies(store: EventStore, sql: Sql, writers: number, appends: number, tag: string) {
  const times = { store: [] as number[], raw: [] as number[] };
  const timed = async (into: number[], append: () => Promise<unknown>) => {
    const started = performance.now();
    await append();
    into.push(performance.now() - started);
  };
  let pair = 0;
  const appendBoth = async (stream: string, events: EventData[], expected: number | 'no_stream') => {
    const ours = () => timed(times.store, () => store.append(`es-${stream}`, events, expected));
    const raw = () => timed(times.raw, () => appendRaw(sql, `raw-${stream}`, events, expected));
    if (pair++ % 2 === 0) {
      await ours();
      await raw();
    } else {
      await raw();
      await ours();
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => writeBatches(appendBoth, w, appends, tag)));
  return times;
}

/** Latencies (ms) of single-event appends, one after another, to 50 streams at exact revisions. */
export async function singleAppendLatencies(store: EventStore, count: number, tag: string): Promise<number[]> {
  const revisions = new Map<string, number>();
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const stream = `${tag}-${i % 50}`;
    const current = revisions.get(stream);
    const started = performance.now();
    await store.append(stream, [benchEvent(i)], current ?? 'no_stream');
    latencies.push(performance.now() - started);
    revisions.set(stream, (current ?? -1) + 1);
  }
  return latencies;
}

/** Append -> seen by a live subscriber (ms), at a steady `perSecond` rate for `count` appends. */
export async function liveLatencies(store: EventStore, perSecond: number, count: number, tag: string): Promise<number[]> {
  const subscription = store.subscribeToAll({ after: await store.headPosition(), filter: { streamPrefixes: [tag] } });
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const reader = (async () => {
    while (latencies.length < count) {
      const batch = await subscription.nextBatch(100);
      if (batch.length === 0) return;
      const now = performance.now();
      for (const e of batch) latencies.push(now - sentAt.get(e.data.amount as number)!);
    }
  })();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const event = benchEvent(i);
    sentAt.set(event.data.amount as number, performance.now());
    await store.append(`${tag}-${i % 10}`, [event], 'any');
  }
  await Promise.race([reader, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  await subscription.close();
  return latencies;
}

/** Events/s of the raw engine reading the whole log in keyset pages of 1,000 (the catch-up's yardstick). */
export async function rawReadRate(sql: Sql): Promise<number> {
  const started = performance.now();
  let seen = 0;
  for (let last = 0; ; ) {
    const rows = await sql.query<{ global_position: number }>(
      'SELECT * FROM es_events WHERE global_position > $1 ORDER BY global_position LIMIT 1000',
      [last],
    );
    if (rows.length === 0) break;
    seen += rows.length;
    last = rows.at(-1)!.global_position;
  }
  return seen / ((performance.now() - started) / 1000);
}

/** Events/s of catching up through a subscription from the start (what a projection rebuild reads). */
export async function catchUpRate(store: EventStore): Promise<{ rate: number; events: number }> {
  const head = await store.headPosition();
  const subscription = store.subscribeToAll();
  const started = performance.now();
  let seen = 0;
  for (let last = START; comparePositions(last, head) < 0; ) {
    const batch = await subscription.nextBatch(1000);
    seen += batch.length;
    last = batch.at(-1)?.position ?? head;
  }
  const rate = seen / ((performance.now() - started) / 1000);
  await subscription.close();
  return { rate, events: seen };
}
