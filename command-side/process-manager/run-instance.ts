/**
 * Runs process manager instances (process-manager.ts): `record` appends the events an input decides at the exact
 * revision it was decided on (re-read and decided again on a conflict), `drive` takes an instance step by step
 * until `next` has nothing left. One drive per instance at a time in this process; across processes the service's
 * lease keeps one runner active, and the exact revisions keep two from recording the same step twice.
 */
import { context as otelContext, SpanStatusCode, trace } from '@opentelemetry/api';
import { nameBasedId } from '../name-based-id.ts';
import type { EventMetadata, EventStore } from '../../contracts/eventstore.ts';
import { contextOfTraceparent, traceparentOf } from '../../contracts/trace-context.ts';
import { decideAndAppend, decideAndAppendAll, foldEvents, type Decision, type DomainEvent, type StreamDecision } from '../decider.ts';
import { backoffDelay, sleepUnlessAborted, type Backoff } from '../retry.ts';
import type { PerformStep, ProcessManager } from './process-manager.ts';

const EVENT_ID_NAMESPACE = 'c2d1f0a4-5b7e-4e43-9d0c-7f3a1b6e8d25';
const tracer = trace.getTracer('knowledge-assistant.process-manager');
const FRESH_MS = 1000;
const FRESH_ENTRIES = 1000;

export interface Loaded<State> {
  state: State;
  /** Last revision folded (-1: no stream). */
  revision: number;
  /** The trace the instance belongs to: the traceparent its first event was recorded with. */
  traceparent?: string;
}

export interface Recorded<Event, State> extends Loaded<State> {
  /** Appended by this input; [] when decide had nothing to add (already recorded). */
  events: Event[];
  /** Of several inputs recorded at once: whether the last one decided anything. */
  lastDecided: boolean;
}

export interface InstanceRunnerOptions<Input, Event extends DomainEvent, State, Action> {
  store: EventStore;
  manager: ProcessManager<Input, Event, State, Action>;
  perform: PerformStep<Input, State, Action>;
  now?: () => Date;
  /** Metadata for the events an instance records (correlation: the instance id). */
  metadataOf?: (instanceId: string) => EventMetadata;
  /** First retry delay of a failing step (doubles up to 30 s). Default 200 ms. */
  retryDelayMs?: number;
  onStepError?: (error: unknown, instanceId: string, action: Action, attempt: number) => void;
  /**
   * After events are recorded: effects that follow facts (notify a client, publish). Never throws into the runner;
   * a crash between the append and this call skips it, so it must be best effort.
   */
  afterRecord?: (instanceId: string, events: readonly Event[], state: State) => Promise<void>;
}

export interface InstanceRunner<Input, Event, State> {
  load(instanceId: string): Promise<Loaded<State>>;
  /**
   * Decides an input (or several, in order) against the instance's newest state and appends what it decides; after
   * `before`, decisions on other streams written in the same appendMany (what must be stored before the instance's
   * events, or with them).
   */
  record(
    instanceId: string,
    input: Input | readonly Input[],
    known?: Loaded<State>,
    metadata?: EventMetadata,
    before?: readonly StreamDecision<unknown>[],
  ): Promise<Recorded<Event, State>>;
  /** Steps the instance until nothing is left to do (resolves with the state then) or `signal` aborts. */
  drive(instanceId: string, signal: AbortSignal): Promise<State>;
  /**
   * A drive starting within the next second begins from `loaded` instead of reading the stream: the state a write
   * just sent will make, for a drive that starts before it is confirmed. Safe when the write fails: the drive's
   * first append then conflicts and reads the stream.
   */
  expect(instanceId: string, loaded: Loaded<State>): void;
}

/** The same decision at the same revision always gets the same id: an append retried after a lost reply is stored once. */
const eventIdOf = (streamId: string, revision: number, event: DomainEvent): string =>
  nameBasedId(`${streamId}@${revision}|${event.type}|${JSON.stringify(event.data)}`, EVENT_ID_NAMESPACE);

export function createInstanceRunner<Input, Event extends DomainEvent, State, Action>(
  options: InstanceRunnerOptions<Input, Event, State, Action>,
): InstanceRunner<Input, Event, State> {
  const { store, manager } = options;
  const now = options.now ?? (() => new Date());
  const stepBackoff: Backoff = { firstDelayMs: options.retryDelayMs ?? 200, maxDelayMs: 30_000, jitter: 0.5 };
  const running = new Map<string, Promise<State>>();
  // What this runner just recorded (a turn asked here): a drive starting right after begins from it instead of
  // reading the stream back. Kept briefly: a stale start is safe (the first append conflicts and re-reads) but wasteful.
  const fresh = new Map<string, Loaded<State> & { at: number }>();

  async function load(instanceId: string): Promise<Loaded<State>> {
    const recorded = await store.readStream(manager.streamOf(instanceId));
    const state = foldEvents(manager, recorded.map(manager.parseEvent));
    const traceparent = recorded[0]?.metadata.traceparent;
    return { state, revision: recorded.at(-1)?.revision ?? -1, ...(traceparent && { traceparent }) };
  }

  /** Each input decided on the state the ones before it left: the events of all, and whether the last decided any. */
  function decideAll(inputs: readonly Input[], state: State): { events: Event[]; lastDecided: boolean } {
    const events: Event[] = [];
    let decided: Event[] = [];
    for (const input of inputs) {
      decided = manager.decide(input, state);
      state = decided.reduce(manager.evolve, state);
      events.push(...decided);
    }
    return { events, lastDecided: decided.length > 0 };
  }

  async function record(
    instanceId: string,
    input: Input | readonly Input[],
    known?: Loaded<State>,
    metadata?: EventMetadata,
    before: readonly StreamDecision<unknown>[] = [],
  ) {
    const streamId = manager.streamOf(instanceId);
    const meta = { ...options.metadataOf?.(instanceId), ...metadata };
    const inputs: readonly Input[] = Array.isArray(input) ? input : [input as Input];
    // After a conflict (someone else recorded meanwhile: the owner's stop, another runner) decide again on what is there.
    const decide = async (attempt: number): Promise<Decision<Recorded<Event, State>>> => {
      const current = attempt === 0 && known ? known : await load(instanceId);
      const { events, lastDecided } = decideAll(inputs, current.state);
      const traceparent = current.traceparent ?? meta.traceparent;
      return {
        revision: current.revision,
        events: events.map((event, index) => ({
          id: eventIdOf(streamId, current.revision + 1 + index, event),
          type: event.type,
          data: event.data,
          metadata: meta,
        })),
        complete: (appended) =>
          appended
            ? {
                state: events.reduce(manager.evolve, current.state),
                revision: appended.nextExpectedRevision,
                events,
                lastDecided,
                ...(traceparent && { traceparent }),
              }
            : { ...current, events, lastDecided },
      };
    };
    const recorded =
      before.length === 0
        ? await decideAndAppend(store, streamId, decide)
        : ((await decideAndAppendAll(store, [...before, { streamId, decide }])).at(-1) as Recorded<Event, State>);
    if (recorded.events.length > 0 && !running.has(instanceId)) remember(instanceId, recorded);
    if (recorded.events.length > 0) await options.afterRecord?.(instanceId, recorded.events, recorded.state).catch(() => undefined);
    return recorded;
  }

  function remember(instanceId: string, loaded: Loaded<State>): void {
    fresh.delete(instanceId);
    const { state, revision, traceparent } = loaded;
    fresh.set(instanceId, { state, revision, ...(traceparent && { traceparent }), at: Date.now() });
    if (fresh.size > FRESH_ENTRIES) fresh.delete(fresh.keys().next().value!);
  }

  async function start(instanceId: string): Promise<Loaded<State>> {
    const known = fresh.get(instanceId);
    fresh.delete(instanceId);
    return known && Date.now() - known.at < FRESH_MS ? known : load(instanceId);
  }

  async function step(instanceId: string, signal: AbortSignal): Promise<State> {
    let current = await start(instanceId);
    let idle = 0;
    let failures = 0;
    let failing: string | undefined;
    while (!signal.aborted) {
      const action = manager.next(current.state, now());
      if (action === undefined) return current.state;
      // A span per step, in the trace the instance was started in; the events the step records name it.
      const name = (action as { type?: unknown }).type;
      const span = tracer.startSpan(
        `${manager.name} ${typeof name === 'string' ? name : 'step'}`,
        { attributes: { 'process.instance': instanceId } },
        contextOfTraceparent(current.traceparent),
      );
      const traceparent = traceparentOf(span.spanContext()) ?? current.traceparent;
      // Active while the step runs (with an SDK started): its logs carry the trace id.
      const inSpan = trace.setSpan(otelContext.active(), span);
      const stepMetadata = traceparent ? { traceparent } : undefined;
      const context = {
        instanceId,
        state: current.state,
        signal,
        ...(traceparent && { traceparent }),
        record: async (input: Input | readonly Input[], before?: readonly StreamDecision<unknown>[]) => {
          const result = await record(instanceId, input, current, stepMetadata, before);
          current = result;
          return { state: result.state, recorded: result.lastDecided };
        },
      };
      const before = current.revision;
      let input: Input | undefined;
      try {
        try {
          input = await otelContext.with(inSpan, () => options.perform(action, context));
        } catch (error) {
          if (signal.aborted) break;
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          // A failed step is not retried blindly: after a pause the instance is read again and `next` chooses anew
          // (the step may have half happened, e.g. recorded that it started).
          const key = JSON.stringify(action);
          failures = key === failing ? failures + 1 : 1;
          failing = key;
          otelContext.with(inSpan, () => options.onStepError?.(error, instanceId, action, failures));
          input = manager.giveUp?.(action, error, failures, now());
          if (input === undefined) {
            await sleepUnlessAborted(backoffDelay(stepBackoff, failures), signal);
            current = await load(instanceId);
            continue;
          }
        }
        if (input !== undefined) current = await record(instanceId, input, current, stepMetadata);
      } finally {
        span.end();
      }
      // A step whose outcome changes nothing would be chosen again forever: read once more (someone may have moved
      // the instance on), then stop instead of spinning.
      if (current.revision === before) {
        if (++idle > 1) throw new Error(`${manager.name} ${instanceId}: step ${JSON.stringify(action)} made no progress`);
        current = await load(instanceId);
      } else {
        idle = 0;
        failures = 0;
        failing = undefined;
      }
    }
    return current.state;
  }

  return {
    load,
    record,
    expect: remember,
    drive(instanceId, signal) {
      const active = running.get(instanceId);
      if (active) return active;
      const driven = step(instanceId, signal).finally(() => running.delete(instanceId));
      running.set(instanceId, driven);
      return driven;
    },
  };
}
