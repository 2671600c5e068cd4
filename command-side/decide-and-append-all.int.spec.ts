/**
 * decideAndAppendAll on the real SQL stores: the parts are written in order in one transaction, so a part that the
 * database refuses leaves the others unwritten; a stale part makes each decide again and append in order.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppendResult, EventData, EventStore } from '../contracts/eventstore.ts';
import { openTestEventStore, type TestEventStore } from '../ops/testing/eventstores.ts';
import { decideAndAppendAll, type Decision, type StreamDecision } from './decider.ts';

describe.each(['pglite', 'postgres'] as const)('decideAndAppendAll on %s', (kind) => {
  let opened: TestEventStore;
  let store: EventStore;
  beforeAll(async () => {
    opened = await openTestEventStore(kind);
    store = opened.store;
  });
  afterAll(async () => {
    await opened?.close();
  });

  const noted = (n: number, text = 'fine'): EventData => ({ type: 'Noted', data: { n, text } });
  /** Decides `events` at the stream's newest revision (or at `staleRevision` on the first attempt). */
  const appendAtHead = (streamId: string, events: EventData[], staleRevision?: number): StreamDecision<AppendResult | undefined> & { attempts: number[] } => {
    const attempts: number[] = [];
    return {
      streamId,
      attempts,
      async decide(attempt): Promise<Decision<AppendResult | undefined>> {
        attempts.push(attempt);
        const revision = attempt === 0 && staleRevision !== undefined ? staleRevision : ((await store.readStream(streamId)).at(-1)?.revision ?? -1);
        return { revision, events, complete: (appended) => appended };
      },
    };
  };
  const types = async (streamId: string) => (await store.readStream(streamId)).map((e) => e.data.n);

  it('writes the parts in order in one appendMany and completes each with its own result', async () => {
    const [a, b, c] = [`all-${randomUUID()}`, `all-${randomUUID()}`, `all-${randomUUID()}`];
    let appendManyCalls = 0;
    const counting: EventStore = { ...store, appendMany: (parts) => (appendManyCalls++, store.appendMany(parts)) };
    const results = (await decideAndAppendAll(counting, [appendAtHead(a, [noted(1), noted(2)]), appendAtHead(b, []), appendAtHead(c, [noted(3)])])) as (
      | AppendResult
      | undefined
    )[];
    expect(appendManyCalls).toBe(1);
    expect(results.map((r) => r?.nextExpectedRevision)).toEqual([1, undefined, 0]);
    expect(await types(a)).toEqual([1, 2]);
    expect(await types(b)).toEqual([]);
    expect(await types(c)).toEqual([3]);
  });

  it('leaves every part unwritten when the database refuses one of them', async () => {
    const [a, b] = [`all-${randomUUID()}`, `all-${randomUUID()}`];
    // jsonb cannot hold \u0000: es_append fails inside the transaction, after the first part was inserted.
    const refused = decideAndAppendAll(store, [appendAtHead(a, [noted(1)]), appendAtHead(b, [noted(2, 'nul \u0000 here')])]);
    await expect(refused).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining(b) });
    expect(await types(a)).toEqual([]);
    expect(await types(b)).toEqual([]);
  });

  it('after a conflict on one part, decides each part again and appends them one by one, in order', async () => {
    const [a, b] = [`all-${randomUUID()}`, `all-${randomUUID()}`];
    await store.append(b, [noted(0)], 'no_stream');
    const first = appendAtHead(a, [{ id: randomUUID(), ...noted(1) }]);
    const stale = appendAtHead(b, [noted(2)], -1);
    const results = (await decideAndAppendAll(store, [first, stale])) as AppendResult[];
    expect(first.attempts).toEqual([0, 1]);
    expect(stale.attempts).toEqual([0, 1]);
    expect(results.map((r) => r.nextExpectedRevision)).toEqual([0, 1]);
    expect(await types(a)).toEqual([1]);
    expect(await types(b)).toEqual([0, 2]);
  });
});
