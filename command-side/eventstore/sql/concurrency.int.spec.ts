/**
 * Gap-free global order on the real Postgres server (issue 3 §2): 8 writers x 1,000 events to random streams (half
 * of them through appendMany, two streams per transaction) while 2 subscribers read live. A reader that trusts "position > last seen" skips rows committed late with lower
 * positions; every subscriber here must see every event exactly once, in the order a re-read confirms.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EventSubscription, RecordedEvent } from '../../../contracts/eventstore.ts';
import { comparePositions } from '../../../contracts/position.ts';
import type { Sql } from '../../../contracts/sql.ts';
import { openTestEventStore, type TestEventStore } from '../../../ops/testing/eventstores.ts';

const WRITERS = 8;
const EVENTS_PER_WRITER = 1000;
const TOTAL = WRITERS * EVENTS_PER_WRITER;
const STREAMS = 40;

let opened: TestEventStore & { sql: Sql };
beforeAll(async () => {
  opened = await openTestEventStore('postgres', { poolSize: WRITERS + 4 });
});
afterAll(async () => {
  await opened?.close();
});

/**
 * Reads live until every event is seen or the deadline passes (a reader that skipped events would wait forever).
 * The deadline is set once the writers are done, so a slow machine slows the test down instead of failing it.
 */
async function readLive(subscription: EventSubscription, deadline: { at: number }): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  while (seen.length < TOTAL) {
    const remaining = Math.min(deadline.at - Date.now(), 1000);
    if (remaining <= 0) break;
    const next = subscription.nextBatch(500);
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), remaining));
    let batch = await Promise.race([next, timeout]);
    // A batch that arrives after its wait timed out still counts: keep waiting for that same call.
    while (batch === null && Date.now() < deadline.at) {
      batch = await Promise.race([next, new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000))]);
    }
    if (batch === null || batch.length === 0) break;
    seen.push(...batch);
  }
  return seen;
}

it('8 concurrent writers, 2 live subscribers: each sees every event once, in one confirmed global order', async () => {
  const { store } = opened;
  const subscriptions = [store.subscribeToAll(), store.subscribeToAll()];
  const deadline = { at: Date.now() + 10 * 60_000 };
  const readers = subscriptions.map((subscription) => readLive(subscription, deadline));
  const writers = Array.from({ length: WRITERS }, async (_, writer) => {
    // Small appends of 1..8 events: many short transactions committing out of position order. Odd writers split
    // theirs over two streams in one appendMany (one transaction writing both).
    const randomStream = () => `load-${Math.floor(Math.random() * STREAMS)}`;
    for (let i = 0; i < EVENTS_PER_WRITER; ) {
      const size = Math.min(EVENTS_PER_WRITER - i, 1 + Math.floor(Math.random() * 8));
      const events = Array.from({ length: size }, (_, k) => ({ type: 'Loaded', data: { writer, i: i + k } }));
      if (writer % 2 === 1 && size > 1) {
        const half = Math.floor(size / 2);
        await store.appendMany([
          { streamId: randomStream(), events: events.slice(0, half), expected: 'any' },
          { streamId: randomStream(), events: events.slice(half), expected: 'any' },
        ]);
      } else await store.append(randomStream(), events, 'any');
      i += size;
    }
  });
  await Promise.all(writers);
  deadline.at = Date.now() + 20_000;
  const seenBy = await Promise.all(readers);
  await Promise.all(subscriptions.map((s) => s.close()));

  const reread = await store.readAll();
  expect(reread).toHaveLength(TOTAL);
  const order = reread.map((e) => e.position);
  for (let i = 1; i < order.length; i++) expect(comparePositions(order[i - 1]!, order[i]!)).toBe(-1);
  const written = new Set(reread.map((e) => `${e.data.writer}/${e.data.i}`));
  expect(written.size).toBe(TOTAL);
  for (const seen of seenBy) {
    expect(seen.length, 'events a live subscriber saw').toBe(TOTAL);
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    expect(seen.map((e) => e.position)).toEqual(order);
  }
  // Per stream, revisions are 0..n-1 with no hole: appends to one stream serialised.
  const revisions = new Map<string, number[]>();
  for (const e of reread) revisions.set(e.streamId, [...(revisions.get(e.streamId) ?? []), e.revision]);
  for (const list of revisions.values()) expect([...list].sort((a, b) => a - b)).toEqual(list.map((_, i) => i));
}, 180_000);

it('an event committed late with a lower position is delivered, before the newer ones it held back', async () => {
  const { store, sql } = opened;
  const subscription = store.subscribeToAll({ after: await store.headPosition(), filter: { streamPrefixes: ['late-'] } });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let begun!: () => void;
  const inside = new Promise<void>((resolve) => (begun = resolve));
  // A writer whose transaction stays open: its event gets the lower position but commits last.
  const lateWriter = sql.transaction(async (tx) => {
    await tx.query(`SELECT * FROM es_append('late-a', 'any', NULL, ARRAY[gen_random_uuid()], ARRAY['Late'],
      ARRAY['{}'], ARRAY['{}'], false, false)`);
    begun();
    await gate;
  });
  await inside;
  await store.append('late-b', [{ type: 'Early', data: {} }], 'any');
  const first = subscription.nextBatch(10);
  const whileOpen = await Promise.race([first, new Promise((resolve) => setTimeout(() => resolve('held back'), 300))]);
  expect(whileOpen).toBe('held back');
  release();
  await lateWriter;
  const seen = await first;
  if (seen.length < 2) seen.push(...(await subscription.nextBatch(10)));
  await subscription.close();
  expect(seen.map((e) => e.type)).toEqual(['Late', 'Early']);
  expect(comparePositions(seen[0]!.position, seen[1]!.position)).toBe(-1);
});
