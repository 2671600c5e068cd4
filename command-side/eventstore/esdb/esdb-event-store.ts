/** The event store port on EventStoreDB (@eventstore/db-client). */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type Filter,
} from '@eventstore/db-client';
import type {
  AppendResult,
  EventData,
  EventFilter,
  EventStore,
  ExpectedRevision,
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
} from '../../../contracts/eventstore.ts';
import { DomainError } from '../../../contracts/errors.ts';
import { comparePositions, START as LOG_START, type Position } from '../../../contracts/position.ts';
import { matchesFilter } from '../filter.ts';
import { assertDistinctIds, assertDistinctIdsAcross, assertExpectedRevision, assertStreamId, prepareEvents } from '../validation.ts';
import { fromEsdbPosition, toAppendError, toEsdbExpected, toEsdbPosition, toRecordedEvent, toStoreError } from './mapping.ts';
import { EsdbSubscription } from './subscription.ts';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The narrowest filter the server can apply (one kind only); the rest is applied on our side. */
function serverFilter(filter: EventFilter | undefined): Filter {
  if (filter?.streamPrefixes) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  if (filter?.eventTypes) return eventTypeFilter({ regex: `^(${filter.eventTypes.map(escapeRegex).join('|')})$` });
  return excludeSystemEvents();
}

export async function createEsdbEventStore(url: string, options: { probeTimeoutMs?: number } = {}): Promise<EventStore> {
  const shown = url.replace(/\/\/[^@/]*@/, '//***@');
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(url);
  } catch (error) {
    throw new DomainError('BAD_USER_INPUT', `EVENTSTORE_URL ${shown} is not a valid EventStoreDB connection string: ${(error as Error).message}`);
  }
  try {
    // One cheap read proves the server is there before anything depends on it.
    for await (const _ of client.readAll({ maxCount: 1, direction: BACKWARDS, fromPosition: END, deadline: options.probeTimeoutMs ?? 5000 })) break;
  } catch (error) {
    await client.dispose().catch(() => undefined);
    const mapped = toStoreError(error, shown);
    if (mapped instanceof DomainError) throw mapped;
    throw new DomainError('UNAVAILABLE', `EventStoreDB at ${shown} cannot be used: ${(error as Error).message}`);
  }
  const subscriptions = new Set<EsdbSubscription>();

  async function append(streamId: string, events: readonly EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    assertExpectedRevision(expected);
    const prepared = await prepareEvents(streamId, events);
    assertDistinctIds(streamId, prepared);
    try {
      const result = await client.appendToStream(
        streamId,
        prepared.map((e) =>
          jsonEvent({ id: e.id, type: e.type, data: JSON.parse(e.data) as JsonObject, metadata: JSON.parse(e.metadata) as JsonObject }),
        ),
        { expectedRevision: toEsdbExpected(expected) },
      );
      const nextExpectedRevision = Number(result.nextExpectedRevision);
      if (result.position) return { nextExpectedRevision, position: fromEsdbPosition(result.position) };
      // An idempotent repeat may come back without a position: take the stored last event's.
      const [last] = await readStream(streamId, { direction: 'backwards', fromRevision: nextExpectedRevision, maxCount: 1 });
      return { nextExpectedRevision, position: last?.position ?? LOG_START };
    } catch (error) {
      throw toAppendError(error, streamId, expected);
    }
  }

  /** EventStoreDB writes one stream at a time: in order, stopping at the first that fails (the port's contract). */
  async function appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const checked = [];
    for (const part of appends) {
      assertExpectedRevision(part.expected);
      checked.push({ streamId: part.streamId, events: await prepareEvents(part.streamId, part.events) });
    }
    assertDistinctIdsAcross(checked);
    const results: AppendResult[] = [];
    for (const part of appends) results.push(await append(part.streamId, part.events, part.expected));
    return results;
  }

  async function readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamId(streamId);
    const backwards = options.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      const read = client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw toStoreError(error, shown);
    }
    return events;
  }

  async function readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (max <= 0) return events;
    try {
      const read = client.readAll({ direction: FORWARDS, fromPosition: options.after ? toEsdbPosition(options.after) : START });
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (!event || !matchesFilter(options.filter, event.type, event.streamId)) continue;
        // Reading $all from a position includes the event at it; the port's `after` is exclusive.
        if (options.after && comparePositions(event.position, options.after) <= 0) continue;
        events.push(event);
        if (events.length >= max) break;
      }
    } catch (error) {
      throw toStoreError(error, shown);
    }
    return events;
  }

  async function headPosition(): Promise<Position> {
    try {
      for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1000 })) {
        const event = toRecordedEvent(resolved);
        if (event && matchesFilter(undefined, event.type, event.streamId)) return event.position;
      }
    } catch (error) {
      throw toStoreError(error, shown);
    }
    return LOG_START;
  }

  function subscribeToAll(options: SubscribeOptions = {}): EsdbSubscription {
    const source = client.subscribeToAll({
      fromPosition: options.after ? toEsdbPosition(options.after) : START,
      filter: serverFilter(options.filter),
    });
    const subscription = new EsdbSubscription(source, options.filter, options.after, shown, (s) => subscriptions.delete(s));
    subscriptions.add(subscription);
    return subscription;
  }

  return {
    kind: 'esdb',
    append,
    appendMany,
    readStream,
    readAll,
    subscribeToAll,
    headPosition,
    async close() {
      await Promise.all([...subscriptions].map((s) => s.close()));
      await client.dispose();
    },
  };
}
