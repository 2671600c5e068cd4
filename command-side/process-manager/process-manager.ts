/**
 * The event-sourced process manager template. A process manager is a decider over its own stream (one stream per
 * instance) plus a pure `next`: from the state folded so far, the one step still to do. A runner (run-instance.ts)
 * loops: fold the stream, ask `next`, perform the step (I/O: a command to another aggregate, a call to a port),
 * record its outcome through `decide`, again. Because every outcome is recorded before the next step starts, and
 * every step is idempotent (commands carry ids derived from the instance, `decide` ignores an outcome it already
 * has), a process killed at any point resumes by reading its stream and doing the step it finds missing.
 *
 * Inputs are whatever the instance reacts to: commands of its users, outcomes of its steps, other aggregates'
 * events (translated by the step that caused them). Time is an input too (`now`), never read inside the rules.
 */
import type { DomainEvent, StreamDecider, StreamDecision } from '../decider.ts';

/** A decider of its own stream (parseEvent reads each recorded event as one of its own), plus what to do next. */
export interface ProcessManager<Input, Event extends DomainEvent, State, Action> extends StreamDecider<Input, Event, State> {
  /** Checkpoint and lease key; also names the instance in logs. */
  readonly name: string;
  /** The stream of one instance. */
  streamOf(instanceId: string): string;
  /** The step still to do, or undefined when there is none (finished, or waiting for an outside input). */
  next(state: State, now: Date): Action | undefined;
  /** Nothing will ever be left to do: the service may stop following the instance. */
  isFinished(state: State): boolean;
  /**
   * A step keeps failing: the input that gives up on it (recorded like an outcome), or undefined to retry it with
   * backoff for as long as the runner runs (steps that must happen whatever it takes, e.g. settling money).
   */
  giveUp?(action: Action, error: unknown, attempts: number, now: Date): Input | undefined;
}

export interface StepContext<Input, State> {
  instanceId: string;
  /** The state the step was chosen from. */
  state: State;
  /** Aborted when the runner stops (shutdown, lease lost): end quickly, record nothing you did not finish. */
  signal: AbortSignal;
  /** W3C traceparent of this step's span: put it in the metadata of commands sent to other aggregates. */
  traceparent?: string;
  /**
   * Records an intermediate outcome before the step goes on (e.g. "about to call the provider"): the new state, and
   * whether this call recorded anything (false: decide found it done, perhaps by another runner; do not go on).
   * Several inputs are decided one after another and recorded in one append (outcomes the step already has, e.g.
   * the wallet's decision and the search, with "about to call the provider"); `recorded` then speaks of the last.
   * `before`: decisions on other streams written in the same write, ahead of the instance's events (a command to
   * another aggregate and its recorded outcome in one transaction: decideAndAppendAll).
   */
  record(input: Input | readonly Input[], before?: readonly StreamDecision<unknown>[]): Promise<{ state: State; recorded: boolean }>;
}

/**
 * Performs a step: its outcome as an input to record, or undefined when the step recorded its outcome itself
 * through `context.record`. Throwing means "not done": the runner retries (or gives up, see giveUp).
 */
export type PerformStep<Input, State, Action> = (action: Action, context: StepContext<Input, State>) => Promise<Input | undefined>;
