/**
 * The chat slice's command side in one call: `createTurns(deps)` gives the turn commands the API calls and the
 * billing saga a `saga`/`all` process runs. The composition root maps config to these plain options.
 */
import type { AnswerFeed } from '../../contracts/answer-feed.ts';
import type { AnswerGenerator, HistoryTurn } from '../../contracts/answer-generation.ts';
import type { ChunkSearchPort } from '../../contracts/chunk-search.ts';
import type { EventStore, RecordedEvent } from '../../contracts/eventstore.ts';
import type { TurnCommands } from '../../contracts/turn-commands.ts';
import { TURN_END_EVENT_TYPES, type TurnEvent } from '../../contracts/turns.ts';
import type { PriceTable } from '../../contracts/wallet.ts';
import { runWhileLeaseHeld, type ServiceLease } from '../process-manager/lease-holder.ts';
import { createInstanceRunner, type InstanceRunner } from '../process-manager/run-instance.ts';
import {
  startProcessManagerService,
  type Classified,
  type ProcessManagerService,
  type ServiceCheckpoints,
  type ServiceLogger,
} from '../process-manager/service.ts';
import { publishDoneOnEnd } from './answer-done.ts';
import { retrieval } from './retrieval-step.ts';
import { historyOf } from './conversations.ts';
import type { TurnInput } from './inputs.ts';
import { RunningGenerations } from './running-generations.ts';
import type { TurnState } from './state.ts';
import { createTurnCommands } from './turn-commands.ts';
import { TURN_SAGA, turnProcess } from './turn-process.ts';
import { turnSteps } from './turn-steps.ts';
import { turnTimings, type TurnObserver } from './turn-timings.ts';
import type { WalletPort } from './wallet-steps.ts';

export interface TurnsDeps {
  store: EventStore;
  /** The wallet command handler (command-side/wallet). */
  wallets: WalletPort;
  search: ChunkSearchPort;
  generator: AnswerGenerator;
  feed: AnswerFeed;
  prices: PriceTable;
  /** RESERVATION_TIMEOUT_MS: a turn not answered this long after its hold fails, and the hold is released. */
  reservationTimeoutMs: number;
  /** Where the saga keeps its place in the log (the SQL worker checkpoints of the read-model database). */
  checkpoints: ServiceCheckpoints;
  /** One active saga across processes (the advisory-lock lease); none: this process is the only one. */
  lease?: ServiceLease;
  /** maxTokens when the asker gives none. Default 1024 (or the model's limit, if lower). */
  defaultMaxTokens?: number;
  /** Chunks retrieved per question. Default 5. */
  retrievalK?: number;
  /** Earlier answered turns given as history. Default 4. */
  historyTurns?: number;
  /** Turns driven at once by this saga. Default 256. */
  concurrency?: number;
  /** How often unfinished turns are looked at again (deadlines, retries). Default 2000 ms. */
  sweepMs?: number;
  /** First retry delay of a failing step. Default 200 ms. */
  retryDelayMs?: number;
  now?: () => Date;
  newId?: () => string;
  logger?: ServiceLogger;
  /** Told how long steps and first tokens take (the app's metrics); give it only where the saga runs. */
  observer?: TurnObserver;
}

export interface TurnSaga {
  /** Whether this process drives turns now (holds the lease). */
  active(): boolean;
  /** Resolves once no turn is being driven here (a graceful shutdown lets answers finish first). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface Turns {
  commands: TurnCommands;
  /** The billing saga: follows the log from its checkpoint, resumes unfinished turns, drives new ones. */
  startSaga(): TurnSaga;
  /** The runner under both (tests, tools: drive or read one turn). */
  runner: InstanceRunner<TurnInput, TurnEvent, TurnState>;
}

const END_TYPES: readonly string[] = TURN_END_EVENT_TYPES;

function classify(event: RecordedEvent): Classified | undefined {
  const instanceId = typeof event.data.turnId === 'string' ? event.data.turnId : undefined;
  if (!instanceId) return undefined;
  if (event.type === 'TurnStarted') return { instanceId, kind: 'start' };
  if (event.type === 'TurnStopRequested') return { instanceId, kind: 'wake' };
  if (END_TYPES.includes(event.type)) return { instanceId, kind: 'end' };
  return undefined;
}

export function createTurns(deps: TurnsDeps): Turns {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const generations = new RunningGenerations();
  const timings = deps.observer && turnTimings(deps.observer, now);
  const feed = timings ? timings.observe(deps.feed) : deps.feed;
  const publishDone = publishDoneOnEnd(feed, generations);
  const retrievalK = deps.retrievalK ?? 5;
  const chunks = retrieval({ search: deps.search, retrievalK, now });
  // Turns whose drive started before their first write was confirmed: whether it was (the Reserve step asks).
  const startsInFlight = new Map<string, Promise<boolean>>();
  const runner: InstanceRunner<TurnInput, TurnEvent, TurnState> = createInstanceRunner({
    store: deps.store,
    manager: turnProcess,
    now,
    retryDelayMs: deps.retryDelayMs,
    metadataOf: (turnId) => ({ correlationId: turnId }),
    perform: turnSteps(
      {
        ...deps,
        feed,
        generations,
        retrievalK,
        history: (turnIds): Promise<HistoryTurn[]> => historyOf(async (id) => (await runner.load(id)).state, turnIds),
        now,
        startWritten: (turnId) => startsInFlight.get(turnId) ?? Promise.resolve(true),
      },
      chunks,
    ),
    afterRecord: async (turnId, events, state) => {
      timings?.recorded(turnId, events, state);
      await publishDone(turnId, events, state);
    },
    onStepError: (error, turnId, action, attempt) =>
      deps.logger?.warn({ err: error, turnId, step: (action as { type: string }).type, attempt }, 'turn step failed'),
  });
  let service: ProcessManagerService | undefined;

  const startService = () =>
    startProcessManagerService({
      name: TURN_SAGA,
      store: deps.store,
      checkpoints: deps.checkpoints,
      filter: { streamPrefixes: ['turn-'], eventTypes: ['TurnStarted', 'TurnStopRequested', ...END_TYPES] },
      classify,
      // A stop asked on another instance reaches the generation running here.
      onEvent: (event, { instanceId, kind }) => {
        if (event.type === 'TurnStopRequested' && kind === 'wake') generations.stop(instanceId);
      },
      drive: async (turnId, signal) => turnProcess.isFinished(await runner.drive(turnId, signal)),
      concurrency: deps.concurrency,
      sweepMs: deps.sweepMs,
      logger: deps.logger,
    });

  const commands = createTurnCommands({
    store: deps.store,
    runner,
    generator: deps.generator,
    prices: deps.prices,
    generations,
    defaultMaxTokens: deps.defaultMaxTokens ?? 1024,
    historyTurns: deps.historyTurns ?? 4,
    now,
    newId,
    onChange: (turnId) => service?.kick(turnId),
    // The saga runs here: the search starts while the question is being recorded.
    onStarting: (turn, traceparent) => {
      if (service) chunks.prefetch(turn, traceparent);
    },
    // ... and the saga starts on the turn at once, from the state the write will make: the hold and the start of
    // the answer go out right behind the question's write (PGlite runs a connection's statements in order) instead
    // of a round trip after it, and the provider is called as soon as the search is back.
    onRecording: (turn, traceparent, written) => {
      if (!service) return false;
      const initial = turnProcess.initialState();
      const events = turnProcess.decide({ type: 'StartTurn', data: turn }, initial);
      runner.expect(turn.turnId, {
        state: events.reduce(turnProcess.evolve, initial),
        revision: events.length - 1,
        ...(traceparent && { traceparent }),
      });
      startsInFlight.set(turn.turnId, written);
      void written.finally(() => startsInFlight.delete(turn.turnId));
      service.kick(turn.turnId);
      return true;
    },
  });

  return {
    commands,
    runner,
    startSaga() {
      const lease = deps.lease ?? { tryAcquire: async () => true, holds: async () => true, release: async () => undefined };
      const leased = runWhileLeaseHeld(lease, TURN_SAGA, startService, {
        logger: deps.logger,
        onStarted: (started) => (service = started),
        onStopped: () => (service = undefined),
      });
      return { ...leased, idle: () => service?.idle() ?? Promise.resolve() };
    },
  };
}
