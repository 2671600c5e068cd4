/**
 * The decider shape every aggregate follows (pure: no I/O, no clock, no random), and the one command handler that
 * runs a decider against its stream with optimistic concurrency.
 */
import { WrongExpectedVersionError, DomainError } from '../contracts/errors.ts';
import type {
  AppendResult,
  EventData,
  EventMetadata,
  EventStore,
  JsonObject,
  RecordedEvent,
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

/**
 * Reads the stream, folds it, decides, appends at the exact revision read. On a version conflict it reads and
 * decides again (bounded), then gives up with CONFLICT.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: StreamDecider<Command, Event, State>,
  command: Command,
  options: HandleOptions<Event> = {},
): Promise<HandleResult<Event, State>> {
  const attempt = async (): Promise<HandleResult<Event, State>> => {
    const recorded = await store.readStream(streamId);
    const revision = recorded.length === 0 ? -1 : recorded[recorded.length - 1]!.revision;
    const state = foldEvents(decider, recorded.map(decider.parseEvent));
    const events = decider.decide(command, state);
    if (events.length === 0) return { events, state, revision, position: undefined };
    const toAppend: EventData[] = events.map((event, index) => ({
      id: options.eventId?.(event, index),
      type: event.type,
      data: event.data,
      metadata: options.metadata,
    }));
    const result = await store.append(streamId, toAppend, revision === -1 ? 'no_stream' : revision);
    return {
      events,
      state: events.reduce(decider.evolve, state),
      revision: result.nextExpectedRevision,
      position: result.position,
    };
  };
  try {
    return await retry(attempt, {
      retries: options.maxRetries ?? 20,
      backoff: CONFLICT_BACKOFF,
      shouldRetry: (error) => error instanceof WrongExpectedVersionError,
    });
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
    throw new DomainError('CONFLICT', `too many concurrent changes to ${streamId}; try again`, { streamId });
  }
}
