import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { eventStoreReader } from './stream-reader.ts';

describe('reading a stream for audit, on a real Postgres event store', () => {
  let log: TestEventStore;
  let written: RecordedEvent[];

  beforeAll(async () => {
    log = await openTestEventStore('postgres');
    // 450 events (more than two backward pages), with another stream's events in between.
    for (let batch = 0; batch < 9; batch++) {
      const events = Array.from({ length: 50 }, (_, i) => ({ type: 'Noted', data: { n: batch * 50 + i } }));
      await log.store.append('audit-a', events, 'any');
      await log.store.append('audit-b', [{ type: 'Other', data: {} }], 'any');
    }
    written = await log.store.readStream('audit-a');
  });
  afterAll(async () => {
    await log?.close();
  });

  const numbers = (events: RecordedEvent[]) => events.map((event) => event.data.n);

  it('returns the whole stream without a position, and what follows a position, oldest first, across pages', async () => {
    const reader = eventStoreReader(log.store);
    expect(numbers(await reader.eventsAfter('audit-a'))).toEqual(numbers(written));
    expect(numbers(await reader.eventsAfter('audit-a', written[20]!.position))).toEqual(numbers(written.slice(21)));
    expect(numbers(await reader.eventsAfter('audit-a', '0-0'))).toEqual(numbers(written));
  });

  it('returns nothing after the last event, and nothing for a stream that does not exist', async () => {
    const reader = eventStoreReader(log.store);
    expect(await reader.eventsAfter('audit-a', written.at(-1)!.position)).toEqual([]);
    expect(await reader.eventsAfter('audit-none', '0-0')).toEqual([]);
  });
});
