/** Checks every adapter applies before writing anything, so all of them refuse the same input the same way. */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../contracts/errors.ts';
import { eventLoopTurns } from '../../contracts/event-loop-turns.ts';
import { MAX_EVENT_BYTES, type EventData, type ExpectedRevision } from '../../contracts/eventstore.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An event ready to store: id decided, data and metadata serialised once. */
export interface PreparedEvent {
  id: string;
  /** Whether the caller chose the id (only those can repeat, so only those are checked for idempotency). */
  idGiven: boolean;
  type: string;
  data: string;
  metadata: string;
}

/** Longer names would not fit a btree index entry; nobody needs them. */
const MAX_NAME_LENGTH = 1000;

export function assertStreamId(streamId: string): void {
  if (typeof streamId !== 'string' || streamId.trim() === '') {
    throw new DomainError('BAD_USER_INPUT', 'a stream id must be a non-empty string');
  }
  if (streamId.length > MAX_NAME_LENGTH) {
    throw new DomainError('BAD_USER_INPUT', `a stream id must be at most ${MAX_NAME_LENGTH} characters`);
  }
}

export function assertExpectedRevision(expected: ExpectedRevision): void {
  if (expected === 'no_stream' || expected === 'any' || expected === 'stream_exists') return;
  if (!Number.isSafeInteger(expected) || expected < -1) {
    throw new DomainError('BAD_USER_INPUT', `expected revision ${String(expected)} is not a revision`);
  }
}

/** -1 ("before the first event") means the stream must not exist yet. */
export const normalizeExpected = (expected: ExpectedRevision): ExpectedRevision =>
  expected === -1 ? 'no_stream' : expected;

/**
 * Serialising a document's chunks (up to 16 events of 256 kB) took 25-140 ms in one go, in the process that also
 * answers the API; this prepares them one by one, giving the event loop a turn every few milliseconds.
 */
export async function prepareEvents(streamId: string, events: readonly EventData[]): Promise<PreparedEvent[]> {
  assertStreamId(streamId);
  if (!Array.isArray(events)) throw new DomainError('BAD_USER_INPUT', 'events must be an array');
  const turns = eventLoopTurns();
  const prepared: PreparedEvent[] = [];
  for (const [index, event] of events.entries()) {
    await turns.maybeYield();
    prepared.push(prepareEvent(streamId, event, index));
  }
  return prepared;
}

function prepareEvent(streamId: string, event: EventData, index: number): PreparedEvent {
  if (typeof event.type !== 'string' || event.type.trim() === '') {
    throw new DomainError('BAD_USER_INPUT', `event ${index} appended to ${streamId} has no type`);
  }
  if (event.type.length > MAX_NAME_LENGTH) {
    throw new DomainError('BAD_USER_INPUT', `an event type must be at most ${MAX_NAME_LENGTH} characters`);
  }
  if (event.id !== undefined && !UUID.test(event.id)) {
    throw new DomainError('BAD_USER_INPUT', `event id ${JSON.stringify(event.id)} is not a uuid`);
  }
  if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
    throw new DomainError('BAD_USER_INPUT', `event ${event.type} needs an object as data`);
  }
  const data = JSON.stringify(event.data);
  const metadata = JSON.stringify(event.metadata ?? {});
  const bytes = Buffer.byteLength(data) + Buffer.byteLength(metadata);
  if (bytes > MAX_EVENT_BYTES) {
    throw new DomainError(
      'PAYLOAD_TOO_LARGE',
      `event ${event.type} for ${streamId} is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES} bytes ` +
        `(data + metadata as JSON). Split it into smaller events.`,
      { streamId, type: event.type, bytes, limit: MAX_EVENT_BYTES },
    );
  }
  return {
    id: event.id?.toLowerCase() ?? randomUUID(),
    idGiven: event.id !== undefined,
    type: event.type,
    data,
    metadata,
  };
}

export function assertDistinctIds(streamId: string, events: readonly Pick<PreparedEvent, 'id'>[]): void {
  const ids = new Set(events.map((event) => event.id));
  if (ids.size !== events.length) {
    throw new DomainError('BAD_USER_INPUT', `one append to ${streamId} carries the same event id twice`);
  }
}

/** Of an appendMany: the same event id twice, in one stream's part or across them, is refused before any write. */
export function assertDistinctIdsAcross(appends: readonly { streamId: string; events: readonly Pick<PreparedEvent, 'id'>[] }[]): void {
  for (const { streamId, events } of appends) assertDistinctIds(streamId, events);
  assertDistinctIds(appends.map((part) => part.streamId).join(', '), appends.flatMap((part) => part.events));
}
