/**
 * The shared log: feeds at different positions (far behind a tiny buffer, in the middle, live) each see every event
 * after their start exactly once, in log order, while appends go on.
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
