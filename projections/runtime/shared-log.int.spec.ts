/**
 * The shared log: feeds at different positions (far behind a tiny buffer, in the middle, live) each see every event
 * after their start exactly once, in log order, while appends go on; filtered feeds see only theirs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EventSubscription } from '../../contracts/eventstore.ts';
import { START, comparePositions, type Position } from '../../contracts/position.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { SharedLog } from './shared-log.ts';

let opened: TestEventStore | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

async function collect(feed: EventSubscription, until: () => Position | undefined): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const target = until();
    if (target && seen.length > 0 && comparePositions(seen[seen.length - 1]!, target) >= 0) break;
    const batch = await feed.nextBatch(3);
    seen.push(...batch.map((event) => event.position));
  }
  await feed.close();
  // A sentinel appended after `until` wakes feeds waiting at the end; it is not part of the comparison.
  return seen.filter((position) => comparePositions(position, until()!) <= 0);
}

describe.each(['pglite', 'postgres'] as const)('shared log on %s', (kind) => {
  it('serves feeds behind, inside and at the end of its buffer without gap or duplicate', async () => {
    opened = await openTestEventStore(kind);
    const { store } = opened;
    const append = async (n: number) => {
      for (let i = 0; i < n; i++) await store.append(`s-${i % 4}`, [{ type: 'E', data: { i } }], 'any');
    };
    await append(30);
    const log = new SharedLog(store, { capacity: 7, pageSize: 4 });
    const early = (await store.readAll())[11]!.position;

    const end: { head?: Position } = {};
    const live = collect(log.subscribe(await store.headPosition()), () => end.head);
    const fromStart = collect(log.subscribe(START), () => end.head);
    const fromMiddle = collect(log.subscribe(early), () => end.head);
    await append(40);
    end.head = await store.headPosition();
    await store.append('sentinel', [{ type: 'End', data: {} }], 'any');
    const late = collect(log.subscribe(START), () => end.head);

    const all = (await store.readAll()).map((event) => event.position).filter((p) => comparePositions(p, end.head!) <= 0);
    expect(await fromStart).toEqual(all);
    expect(await late).toEqual(all);
    expect(await fromMiddle).toEqual(all.slice(12));
    expect(await live).toEqual(all.slice(30));
    await log.close();
  });

  it('gives a filtered feed only its events, from the store while behind and from the buffer once caught up', async () => {
    opened = await openTestEventStore(kind);
    const { store } = opened;
    // Mostly other streams: a filtered feed passes over whole buffers of them without returning an empty batch.
    const append = async (from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        await store.append(i % 5 === 0 ? `turn-${i}` : `other-${i}`, [{ type: i % 5 === 0 ? 'TurnStarted' : 'E', data: { i } }], 'any');
      }
    };
    await append(0, 40);
    const log = new SharedLog(store, { capacity: 6, pageSize: 4 });
    const filter = { streamPrefixes: ['turn-'], eventTypes: ['TurnStarted'] };
    const behind = log.subscribe(START, filter);
    const live = log.subscribe(await store.headPosition(), filter);
    const read = async (feed: EventSubscription, count: number) => {
      const seen: number[] = [];
      while (seen.length < count) seen.push(...(await feed.nextBatch(3)).map((event) => event.data.i as number));
      return seen;
    };
    const fromBehind = read(behind, 16);
    const fromLive = read(live, 8);
    await append(40, 40);
    expect(await fromBehind).toEqual(Array.from({ length: 16 }, (_, k) => k * 5));
    expect(await fromLive).toEqual(Array.from({ length: 8 }, (_, k) => 40 + k * 5));
    await Promise.all([behind.close(), live.close()]);
    await log.close();
  });

  it('a closed feed returns [] to a waiting nextBatch', async () => {
    opened = await openTestEventStore(kind);
    const log = new SharedLog(opened.store, { capacity: 10, pageSize: 10 });
    const feed = log.subscribe(START);
    const waiting = feed.nextBatch(5);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await feed.close();
    expect(await waiting).toEqual([]);
    await log.close();
  });
});
