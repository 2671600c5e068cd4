/**
 * The decider shape every aggregate follows (pure: no I/O, no clock, no random), and the one command handler that
 * runs a decider against its stream with optimistic concurrency.
 */
import { WrongExpectedVersionError, DomainError } from '../contracts/errors.ts';
import { markSchemaVersion } from '../contracts/event-schema-versions.ts';
import type {
  AppendResult,
  EventData,
  EventMetadata,
  EventStore,
  JsonObject,
  RecordedEvent,
  StreamAppend,
} from '../contracts/eventstore.ts';
import { retry, type Backoff } from './retry.ts';

export interface DomainEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  type: Type;
  data: Data;
}

export interface Decider<Command, Event extends DomainEvent, State> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  /** Events to append (possibly none: an idempotent repeat), or throws a DomainError. */
  decide: (command: Command, state: State) => Event[];
}

/** A decider of a stream in the store: it reads each recorded event of the stream as one of its own, typed. */
export interface StreamDecider<Command, Event extends DomainEvent, State> extends Decider<Command, Event, State> {
  /** Its contract's eventParser: a malformed event throws MalformedEventError. */
  parseEvent: (recorded: RecordedEvent) => Event;
}

export interface HandleOptions<Event extends DomainEvent> {
  metadata?: EventMetadata;
  /** Deterministic event ids make a retried command idempotent at the store. */
  eventId?: (event: Event, index: number) => string | undefined;
  maxRetries?: number;
}

export interface HandleResult<Event extends DomainEvent, State> {
  events: Event[];
  state: State;
  /** Revision after the command (-1: stream still empty). */
  revision: number;
  /** Log position of what was appended; undefined when nothing was. */
  position: AppendResult['position'] | undefined;
}

/** Writers that collided on a stream wait a few ms, fully at random, so that they do not collide again. */
export const CONFLICT_BACKOFF: Backoff = { firstDelayMs: 1, maxDelayMs: 50, jitter: 1 };

export function foldEvents<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}

/** One decision taken on a stream: the revision it was read at, what to append, and the caller's result. */
export interface Decision<Result> {
  /** Revision of the state decided on (-1: empty stream); the append expects exactly this one. */
  revision: number;
  events: readonly EventData[];
  /** The caller's result once appended (undefined: there was nothing to append). */
  complete(appended: AppendResult | undefined): Result;
}

export interface DecideAndAppendOptions {
  /** Decisions taken again after a conflict before giving up with CONFLICT. Default 20. */
  maxRetries?: number;
  /** Called on each conflict, before waiting: a cached state is behind the stream now. */
  onConflict?: () => void;
}

/** The append met a concurrent change: the decision is stale and is taken again. */
class StaleDecision extends Error {}

/**
 * What a decision appends: its events at exactly the revision it was decided on. Every append goes through here:
 * each event is marked with the schema version its data is written in.
 */
const appendOf = (streamId: string, decision: Decision<unknown>): StreamAppend => ({
  streamId,
  events: decision.events.map(markSchemaVersion),
  expected: decision.revision === -1 ? 'no_stream' : decision.revision,
});

/** Someone else wrote first, or some of the events' (deterministic) ids are already stored: re-read and decide. */
const isAppendConflict = (error: unknown): boolean =>
  error instanceof WrongExpectedVersionError || (error instanceof DomainError && error.code === 'CONFLICT');

/**
 * The optimistic-concurrency loop of every command: decide on the stream as read, append at exactly that revision;
 * when the append meets a concurrent change, wait a little (CONFLICT_BACKOFF) and decide again, bounded, then
 * CONFLICT. `decide(attempt)` reads the state its own way: handleCommand the whole stream, the wallet handler and
 * the document session what they keep in memory (attempt 0) or what is newer than it.
 */
export async function decideAndAppend<Result>(
  store: Pick<EventStore, 'append'>,
  streamId: string,
  decide: (attempt: number) => Promise<Decision<Result>>,
  options: DecideAndAppendOptions = {},
): Promise<Result> {
  const attempt = async (failures: number): Promise<Result> => {
    const decision = await decide(failures);
    if (decision.events.length === 0) return decision.complete(undefined);
    const { events, expected } = appendOf(streamId, decision);
    const appended = await store.append(streamId, events, expected).catch((error: unknown) => {
      if (!isAppendConflict(error)) throw error;
      options.onConflict?.();
      throw new StaleDecision(`stale decision on ${streamId}`, { cause: error });
    });
    return decision.complete(appended);
  };
  try {
    return await retry(attempt, {
      retries: options.maxRetries ?? 20,
      backoff: CONFLICT_BACKOFF,
      shouldRetry: (error) => error instanceof StaleDecision,
    });
  } catch (error) {
    if (!(error instanceof StaleDecision)) throw error;
    throw new DomainError('CONFLICT', `too many concurrent changes to ${streamId}; try again`, { streamId });
  }
}

/** decideAndAppend's arguments: a stream and how to decide on it. */
export interface StreamDecision<Result> {
  streamId: string;
  decide: (attempt: number) => Promise<Decision<Result>>;
}

/**
 * decideAndAppend for several streams, written together in this order (EventStore.appendMany: one transaction and
 * one round trip on the SQL stores); resolves with each one's result. When a part meets a concurrent change, they
 * are taken again one by one in the same order, each with decideAndAppend's retries. On EventStoreDB the parts
 * before the conflict may be stored by then: each decider must find its own events there and decide nothing (or
 * give deterministic ids, which make the repeat a no-op).
 */
export async function decideAndAppendAll(
  store: Pick<EventStore, 'append' | 'appendMany'>,
  parts: readonly StreamDecision<unknown>[],
  options: DecideAndAppendOptions = {},
): Promise<unknown[]> {
  const decisions = await Promise.all(parts.map((part) => part.decide(0)));
  const writing = decisions.flatMap((decision, index) => (decision.events.length > 0 ? [{ decision, index }] : []));
  try {
    const appended = await store.appendMany(writing.map(({ decision, index }) => appendOf(parts[index]!.streamId, decision)));
    const resultOf = new Map(writing.map(({ index }, n) => [index, appended[n]]));
    return decisions.map((decision, index) => decision.complete(resultOf.get(index)));
  } catch (error) {
    if (!isAppendConflict(error)) throw error;
    options.onConflict?.();
    const results: unknown[] = [];
    for (const part of parts) results.push(await decideAndAppend(store, part.streamId, (attempt) => part.decide(attempt + 1), options));
    return results;
  }
}

/** Reads the whole stream, folds it, decides, appends at the revision read (decideAndAppend). */
export function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: StreamDecider<Command, Event, State>,
  command: Command,
  options: HandleOptions<Event> = {},
): Promise<HandleResult<Event, State>> {
  return decideAndAppend(
    store,
    streamId,
    async (): Promise<Decision<HandleResult<Event, State>>> => {
      const recorded = await store.readStream(streamId);
      const revision = recorded.length === 0 ? -1 : recorded[recorded.length - 1]!.revision;
      const state = foldEvents(decider, recorded.map(decider.parseEvent));
      const events = decider.decide(command, state);
      return {
        revision,
        events: events.map((event, index) => ({
          id: options.eventId?.(event, index),
          type: event.type,
          data: event.data,
          metadata: options.metadata,
        })),
        complete: (appended) =>
          appended
            ? {
                events,
                state: events.reduce(decider.evolve, state),
                revision: appended.nextExpectedRevision,
                position: appended.position,
              }
            : { events, state, revision, position: undefined },
      };
    },
    { maxRetries: options.maxRetries },
  );
}
