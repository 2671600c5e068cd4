/**
 * Workloads of the event store benchmark: the store's batched appends next to the raw engine (plain INSERTs of the
 * same rows in the same transaction sizes, with the same revision check), single appends, live latency.
 */
import { randomUUID } from 'node:crypto';
import type { EventData, EventStore } from '../../contracts/eventstore.ts';
import { START, comparePositions } from '../../contracts/position.ts';
import type { Sql } from '../sql/types.ts';

export const BATCH = 100;

export function benchEvent(i: number): EventData {
  return {
    type: i % 3 === 0 ? 'FundsReserved' : 'ChunkEmbedded',
    data: { walletId: `w-${i % 97}`, amount: 1000 + i, reference: `ref-${i}`, note: 'x'.repeat(120) },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  };
}

const RAW_TABLES = `
CREATE TABLE IF NOT EXISTS raw_streams (LIKE es_streams INCLUDING ALL);
CREATE TABLE IF NOT EXISTS raw_events (LIKE es_events INCLUDING ALL);`;

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

/** Events/s of the raw engine: the same rows, one transaction per 100, lock + check revision, insert, update. */
export async function rawBatched(sql: Sql, writers: number, appends: number, tag: string): Promise<number> {
  await sql.exec(RAW_TABLES);
  const appendRaw = (stream: string, events: EventData[], expected: number | 'no_stream') =>
    sql.transaction(async (tx) => {
      const rows = await tx.query<{ revision: number }>(
        'SELECT revision FROM raw_streams WHERE stream_id = $1 FOR UPDATE',
        [stream],
      );
      const current = rows[0]?.revision ?? -1;
      if (rows.length === 0) await tx.query('INSERT INTO raw_streams (stream_id, revision) VALUES ($1, -1)', [stream]);
      if (current !== (expected === 'no_stream' ? -1 : expected)) throw new Error(`raw: ${stream} at ${current}`);
      await tx.query(
        `INSERT INTO raw_events (stream_id, revision, event_id, type, data, metadata)
         SELECT $1, $2::bigint + t.ord, t.id, t.type, t.data::jsonb, t.meta::jsonb
           FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(id, type, data, meta, ord)`,
        [
          stream,
          current,
          events.map(() => randomUUID()),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => JSON.stringify(e.metadata ?? {})),
        ],
      );
      await tx.query('UPDATE raw_streams SET revision = $2 WHERE stream_id = $1', [stream, current + events.length]);
    });
  const started = performance.now();
  await Promise.all(Array.from({ length: writers }, (_, w) => writeBatches(appendRaw, w, appends, tag)));
  return (writers * appends * BATCH) / ((performance.now() - started) / 1000);
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
