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
  const maxRetries = options.maxRetries ?? 20;
  for (let attempt = 0; ; attempt++) {
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
    try {
      const result = await store.append(streamId, toAppend, revision === -1 ? 'no_stream' : revision);
      return {
        events,
        state: events.reduce(decider.evolve, state),
        revision: result.nextExpectedRevision,
        position: result.position,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (attempt >= maxRetries) {
        throw new DomainError('CONFLICT', `too many concurrent changes to ${streamId}; try again`, { streamId });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
}
