/**
 * The one contract every event store adapter keeps (issue 3 §2): PGlite and the real Postgres server every run,
 * EventStoreDB when EVENTSTORE_URL points at one.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, WrongExpectedVersionError } from '../../contracts/errors.ts';
import { MAX_EVENT_BYTES, type EventStore, type RecordedEvent } from '../../contracts/eventstore.ts';
import { comparePositions } from '../../contracts/position.ts';
import { esdbTestUrl, openTestEventStore, type TestEventStore, type TestEventStoreKind } from '../../ops/testing/eventstores.ts';

const kinds: TestEventStoreKind[] = ['pglite', 'postgres', 'esdb'];
if (!esdbTestUrl()) console.log('SKIP EventStoreDB contract tests: set EVENTSTORE_URL=esdb://… to run them');

const event = (type: string, n: number, extra: Partial<{ id: string; metadata: Record<string, unknown> }> = {}) => ({
  type,
  data: { n },
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function collect(subscription: { nextBatch(max: number): Promise<RecordedEvent[]> }, count: number) {
  const seen: RecordedEvent[] = [];
  while (seen.length < count) seen.push(...(await subscription.nextBatch(count - seen.length)));
  return seen;
}

describe.each(kinds)('event store contract: %s', (kind) => {
  let opened: TestEventStore;
  let store: EventStore;
  const stream = (name: string) => `${name}-${randomUUID()}`;

  beforeAll(async () => {
    if (kind === 'esdb' && !esdbTestUrl()) return;
    opened = await openTestEventStore(kind);
    store = opened.store;
  });
  afterAll(async () => {
    await opened?.close();
  });
  const test = kind === 'esdb' && !esdbTestUrl() ? it.skip : it;

  test('no_stream: the first append succeeds, a second is a typed conflict carrying expected and actual', async () => {
    const id = stream('contract');
    const first = await store.append(id, [event('Opened', 1), event('Noted', 2)], 'no_stream');
    expect(first.nextExpectedRevision).toBe(1);
    const error = await rejection(store.append(id, [event('Opened', 3)], 'no_stream'));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ code: 'CONFLICT', streamId: id, expected: 'no_stream', actual: '1' });
  });

  test('exact revision: appends at the revision read, refuses a stale one with expected and actual', async () => {
    const id = stream('contract');
    await store.append(id, [event('Opened', 1)], 'no_stream');
    const second = await store.append(id, [event('Noted', 2)], 0);
    expect(second.nextExpectedRevision).toBe(1);
    const error = await rejection(store.append(id, [event('Noted', 3)], 0));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamId: id, expected: '0', actual: '1' });
    const missing = await rejection(store.append(stream('contract'), [event('Noted', 1)], 3));
    expect(missing).toMatchObject({ expected: '3', actual: 'no_stream' });
    expect((await store.readStream(id)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  test('concurrent appends at one exact revision: exactly one wins, the others get WrongExpectedVersion', async () => {
    const id = stream('contract');
    await store.append(id, [event('Opened', 0)], 'no_stream');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, n) => store.append(id, [event('Noted', n + 1)], 0)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect(outcome.reason).toBeInstanceOf(WrongExpectedVersionError);
      expect(outcome.reason).toMatchObject({ expected: '0', actual: '1' });
    }
    expect((await store.readStream(id)).map((e) => e.revision)).toEqual([0, 1]);
  });

  test('any appends whatever the revision; stream_exists needs the stream', async () => {
    const id = stream('contract');
    expect(await rejection(store.append(id, [event('Noted', 0)], 'stream_exists'))).toBeInstanceOf(
      WrongExpectedVersionError,
    );
    await store.append(id, [event('Noted', 1)], 'any');
    const result = await store.append(id, [event('Noted', 2)], 'any');
    expect(result.nextExpectedRevision).toBe(1);
    expect((await store.append(id, [event('Noted', 3)], 'stream_exists')).nextExpectedRevision).toBe(2);
  });

  test('the same event ids appended twice are stored once and the retry gets the first result', async () => {
    const id = stream('contract');
    const batch = [event('Deposited', 1, { id: randomUUID() }), event('Deposited', 2, { id: randomUUID() })];
    const first = await store.append(id, batch, 'no_stream');
    const retry = await store.append(id, batch, 'no_stream');
    expect(retry).toEqual(first);
    const again = await store.append(id, batch, 'any');
    expect(again).toEqual(first);
    const events = await store.readStream(id);
    expect(events.map((e) => e.id)).toEqual(batch.map((e) => e.id));
  });

  test('a repeat at the exact revision it was appended at gets the first result, stored once', async () => {
    const id = stream('contract');
    await store.append(id, [event('Opened', 0)], 'no_stream');
    const batch = [event('Noted', 1, { id: randomUUID() }), event('Noted', 2, { id: randomUUID() })];
    const first = await store.append(id, batch, 0);
    expect(await store.append(id, batch, 0)).toEqual(first);
    await store.append(id, [event('Noted', 3)], first.nextExpectedRevision);
    expect(await store.append(id, batch, 0)).toEqual(first);
    expect((await store.readStream(id)).map((e) => e.data.n)).toEqual([0, 1, 2, 3]);
  });

  (kind === 'esdb' ? it.skip : test)('SQL: an event id already used in another stream is a typed conflict, and nothing is written', async () => {
    const used = randomUUID();
    await store.append(stream('owner'), [event('Opened', 0, { id: used })], 'no_stream');
    const fresh = stream('contract');
    const atNoStream = await rejection(store.append(fresh, [event('Opened', 1, { id: randomUUID() }), event('Noted', 2, { id: used })], 'no_stream'));
    expect(atNoStream).toMatchObject({ code: 'CONFLICT' });
    expect(await store.readStream(fresh)).toEqual([]);
    const existing = stream('contract');
    await store.append(existing, [event('Opened', 3)], 'no_stream');
    const atExact = await rejection(store.append(existing, [event('Noted', 4, { id: used })], 0));
    expect(atExact).toMatchObject({ code: 'CONFLICT' });
    expect((await store.readStream(existing)).map((e) => e.data.n)).toEqual([3]);
    expect((await store.append(existing, [event('Noted', 5)], 0)).nextExpectedRevision).toBe(1);
  });

  test('appendMany: several streams in the order given, each with its own result', async () => {
    const prefix = stream('many');
    const results = await store.appendMany([
      { streamId: `${prefix}-a`, events: [event('Opened', 1), event('Noted', 2)], expected: 'no_stream' },
      { streamId: `${prefix}-b`, events: [event('Opened', 3)], expected: 'no_stream' },
      { streamId: `${prefix}-a`, events: [event('Noted', 4)], expected: 1 },
    ]);
    expect(results.map((r) => r.nextExpectedRevision)).toEqual([1, 0, 2]);
    const all = await store.readAll({ filter: { streamPrefixes: [prefix] } });
    expect(all.map((e) => [e.streamId.slice(-1), e.data.n])).toEqual([['a', 1], ['a', 2], ['b', 3], ['a', 4]]);
    expect(results.map((r) => r.position)).toEqual([all[1]!.position, all[2]!.position, all[3]!.position]);
    expect(await store.appendMany([])).toEqual([]);
  });

  test('appendMany: a stale part is a typed conflict naming its stream; the SQL stores then write none of it', async () => {
    const prefix = stream('many');
    await store.append(`${prefix}-b`, [event('Opened', 0)], 'no_stream');
    const error = await rejection(
      store.appendMany([
        { streamId: `${prefix}-a`, events: [event('Opened', 1)], expected: 'no_stream' },
        { streamId: `${prefix}-b`, events: [event('Noted', 2)], expected: 'no_stream' },
        { streamId: `${prefix}-c`, events: [event('Opened', 3)], expected: 'no_stream' },
      ]),
    );
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamId: `${prefix}-b`, expected: 'no_stream', actual: '0' });
    // EventStoreDB writes one stream at a time: the part before the failure stays, the one after is never tried.
    expect(await store.readStream(`${prefix}-a`)).toHaveLength(kind === 'esdb' ? 1 : 0);
    expect(await store.readStream(`${prefix}-b`)).toHaveLength(1);
    expect(await store.readStream(`${prefix}-c`)).toEqual([]);
  });

  test('appendMany: refuses one event id twice across its parts before writing anything; repeated whole, it is stored once', async () => {
    const prefix = stream('many');
    const shared = randomUUID();
    const twice = await rejection(
      store.appendMany([
        { streamId: `${prefix}-a`, events: [event('Opened', 1, { id: shared })], expected: 'no_stream' },
        { streamId: `${prefix}-b`, events: [event('Opened', 2, { id: shared })], expected: 'no_stream' },
      ]),
    );
    expect(twice).toBeInstanceOf(DomainError);
    expect(twice).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await store.readStream(`${prefix}-a`)).toEqual([]);
    const parts = [
      { streamId: `${prefix}-a`, events: [event('Opened', 1, { id: randomUUID() })], expected: 'no_stream' as const },
      { streamId: `${prefix}-b`, events: [event('Opened', 2, { id: randomUUID() })], expected: 'no_stream' as const },
    ];
    const first = await store.appendMany(parts);
    expect(await store.appendMany(parts)).toEqual(first);
    expect((await store.readAll({ filter: { streamPrefixes: [prefix] } })).map((e) => e.data.n)).toEqual([1, 2]);
  });

  test('reads a stream forwards and backwards from a revision, with maxCount', async () => {
    const id = stream('contract');
    await store.append(id, [0, 1, 2, 3, 4].map((n) => event('Noted', n)), 'no_stream');
    const forwards = await store.readStream(id, { fromRevision: 2, maxCount: 2 });
    expect(forwards.map((e) => e.revision)).toEqual([2, 3]);
    const backwards = await store.readStream(id, { direction: 'backwards', fromRevision: 3, maxCount: 3 });
    expect(backwards.map((e) => e.revision)).toEqual([3, 2, 1]);
    const lastTwo = await store.readStream(id, { direction: 'backwards', maxCount: 2 });
    expect(lastTwo.map((e) => e.data)).toEqual([{ n: 4 }, { n: 3 }]);
    expect(await store.readStream(stream('missing'))).toEqual([]);
  });

  test('reads all from a position: strictly after it, in global order, honouring maxCount', async () => {
    const prefix = stream('readall');
    const a = await store.append(`${prefix}-a`, [event('Noted', 1)], 'no_stream');
    await store.append(`${prefix}-b`, [event('Noted', 2), event('Noted', 3)], 'no_stream');
    await store.append(`${prefix}-a`, [event('Noted', 4)], 0);
    const filter = { streamPrefixes: [prefix] };
    const all = await store.readAll({ filter });
    expect(all.map((e) => e.data.n)).toEqual([1, 2, 3, 4]);
    const after = await store.readAll({ after: a.position, filter });
    expect(after.map((e) => e.data.n)).toEqual([2, 3, 4]);
    expect((await store.readAll({ after: a.position, filter, maxCount: 2 })).map((e) => e.data.n)).toEqual([2, 3]);
    for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1);
    expect(comparePositions(await store.headPosition(), all.at(-1)!.position)).toBeGreaterThanOrEqual(0);
  });

  test('subscribes to all from a position: catch-up then live, no gap, no duplicate', async () => {
    const prefix = stream('subscribe');
    const filter = { streamPrefixes: [prefix] };
    const start = await store.append(`${prefix}-0`, [event('Noted', 0)], 'no_stream');
    for (let i = 1; i <= 20; i++) await store.append(`${prefix}-${i % 3}`, [event('Noted', i)], 'any');
    const subscription = store.subscribeToAll({ after: start.position, filter });
    try {
      const catchUp = await collect(subscription, 20);
      const live = (async () => collect(subscription, 30))();
      for (let i = 21; i <= 50; i++) await store.append(`${prefix}-${i % 3}`, [event('Noted', i)], 'any');
      const seen = [...catchUp, ...(await live)];
      expect(seen.map((e) => e.data.n)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const reread = await store.readAll({ after: start.position, filter });
      expect(seen.map((e) => e.position)).toEqual(reread.map((e) => e.position));
    } finally {
      await subscription.close();
    }
    expect(await subscription.nextBatch(10)).toEqual([]);
  });

  test('the async iterator ends when the subscription closes', async () => {
    const prefix = stream('iterate');
    await store.append(`${prefix}-1`, [event('Noted', 1), event('Noted', 2)], 'no_stream');
    const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] } });
    const seen: number[] = [];
    for await (const recorded of subscription) {
      seen.push(recorded.data.n as number);
      if (seen.length === 2) setTimeout(() => void subscription.close(), 10);
    }
    expect(seen).toEqual([1, 2]);
  });

  test('filters by event type and by stream prefix, in reads and subscriptions', async () => {
    const prefix = stream('filter');
    const from = await store.append(`${prefix}-x`, [event('Marker', 0)], 'no_stream');
    await store.append(`${prefix}-wallet-1`, [event('FundsReserved', 1), event('FundsCaptured', 2)], 'no_stream');
    await store.append(`${prefix}-kb-1`, [event('FundsReserved', 3), event('KbCreated', 4)], 'no_stream');
    const types = { eventTypes: ['FundsReserved', 'KbCreated'], streamPrefixes: [prefix] };
    expect((await store.readAll({ after: from.position, filter: types })).map((e) => e.data.n)).toEqual([1, 3, 4]);
    const streams = { streamPrefixes: [`${prefix}-wallet-`, `${prefix}-kb-`] };
    expect((await store.readAll({ after: from.position, filter: streams })).map((e) => e.data.n)).toEqual([1, 2, 3, 4]);
    const both = { eventTypes: ['FundsReserved'], streamPrefixes: [`${prefix}-kb-`] };
    expect((await store.readAll({ filter: both })).map((e) => e.data.n)).toEqual([3]);
    const subscription = store.subscribeToAll({ after: from.position, filter: { eventTypes: ['KbCreated'], streamPrefixes: [prefix] } });
    try {
      expect((await subscription.nextBatch(10)).map((e) => e.data.n)).toEqual([4]);
      await store.append(`${prefix}-kb-1`, [event('FundsReserved', 5), event('KbCreated', 6)], 1);
      expect((await subscription.nextBatch(10)).map((e) => e.data.n)).toEqual([6]);
    } finally {
      await subscription.close();
    }
  });

  test('metadata and data round trip verbatim, with ids, revisions, positions and times', async () => {
    const id = stream('contract');
    const metadata = {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      userId: 'u-1',
      nested: { list: [1, 'two', null, true], text: '知识库 ✓' },
    };
    const data = { amount: 9007199254740991, note: 'line\n"quoted"', empty: {}, zh: '文档' };
    const eventId = randomUUID();
    const before = Date.now();
    const result = await store.append(id, [{ id: eventId, type: 'Deposited', data, metadata }], 'no_stream');
    const [recorded] = await store.readStream(id);
    expect(recorded).toMatchObject({ id: eventId, type: 'Deposited', data, metadata, streamId: id, revision: 0 });
    expect(recorded!.position).toBe(result.position);
    expect(Math.abs(Date.parse(recorded!.createdAt) - before)).toBeLessThan(60_000);
    const [fromAll] = await store.readAll({ filter: { streamPrefixes: [id] } });
    expect(fromAll).toEqual(recorded);
  });

  test('an oversized event is refused with a clear error and nothing is written', async () => {
    const id = stream('contract');
    const big = { text: 'x'.repeat(MAX_EVENT_BYTES) };
    const error = await rejection(store.append(id, [event('Small', 1), { type: 'Huge', data: big }], 'any'));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((error as Error).message).toMatch(/Huge.*limit is 1048576 bytes/);
    expect(await store.readStream(id)).toEqual([]);
  });

  test('refuses an empty stream id or event type', async () => {
    expect(await rejection(store.append('', [event('Noted', 1)], 'any'))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await rejection(store.append(stream('contract'), [event('', 1)], 'any'))).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(await rejection(store.append('s'.repeat(1001), [event('Noted', 1)], 'any'))).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });

  test('text with a NUL character is stored verbatim or refused as bad input, never a raw database error', async () => {
    const id = stream('contract');
    const outcome = await store.append(id, [{ type: 'Noted', data: { text: 'a\u0000b' } }], 'any').then(
      () => 'stored',
      (error: unknown) => error,
    );
    if (outcome === 'stored') expect((await store.readStream(id))[0]!.data).toEqual({ text: 'a\u0000b' });
    else expect(outcome).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(kind === 'esdb' || outcome !== 'stored').toBe(true);
  });
});
