/**
 * The saga's wallet steps: ReserveFunds, CaptureFunds and ReleaseFunds on reservation `turn-{turnId}` in the wallet
 * that pays for the turn (payingWalletOf: a workspace's when TurnStarted.walletId says so, else the asker's), each
 * translated back into the wallet's decision as a turn input. The reservation id makes every command idempotent:
 * repeated after a crash, the wallet appends nothing, and the decision it made the first time is read back from
 * the wallet's stream (newest first: it is recent), so the turn records what really happened.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { EventMetadata, EventStore } from '../../contracts/eventstore.ts';
import { walletStream } from '../../contracts/streams.ts';
import { payingWalletOf, reservationIdOf } from '../../contracts/turns.ts';
import { parseWalletEvent, type CaptureFundsCommand, type WalletCommand, type WalletEvent, type WalletEventType } from '../../contracts/wallet.ts';
import type { StreamDecision } from '../decider.ts';
import type { TurnInput, TurnInputOf } from './inputs.ts';
import type { TurnStartedData } from './state.ts';

/** What the saga needs of the wallet (WalletCommandHandler). */
export interface WalletPort {
  execute(command: WalletCommand, metadata?: EventMetadata): Promise<{ events: WalletEvent[] }>;
  /** The command decided now, for the caller to write with its own events (WalletCommandHandler.decideAhead). */
  decideAhead(command: WalletCommand, metadata?: EventMetadata): Promise<{ events: WalletEvent[]; part: StreamDecision<unknown> }>;
}

export interface WalletStepDeps {
  store: EventStore;
  wallets: WalletPort;
  reservationTimeoutMs: number;
  now: () => Date;
}

const PAGE = 200;

/** The wallet's event about a reservation, of one of `types`, newest first; undefined when there is none. */
export async function walletDecision(
  store: EventStore,
  walletId: string,
  reservationId: string,
  types: readonly WalletEventType[],
): Promise<WalletEvent | undefined> {
  for (let from: number | undefined; ; ) {
    const page = await store.readStream(walletStream(walletId), { direction: 'backwards', fromRevision: from, maxCount: PAGE });
    for (const recorded of page) {
      if (!(types as readonly string[]).includes(recorded.type) || recorded.data.reservationId !== reservationId) continue;
      return parseWalletEvent(recorded);
    }
    if (page.length < PAGE || page.at(-1)!.revision === 0) return undefined;
    from = page.at(-1)!.revision - 1;
  }
}

async function decisionOf(
  deps: WalletStepDeps,
  turn: TurnStartedData,
  appended: readonly WalletEvent[],
  types: readonly WalletEventType[],
): Promise<WalletEvent> {
  const reservationId = reservationIdOf(turn.turnId);
  const decision =
    appended.find((e) => types.includes(e.type) && 'reservationId' in e.data && e.data.reservationId === reservationId) ??
    (await walletDecision(deps.store, payingWalletOf(turn), reservationId, types));
  if (!decision) throw new Error(`wallet ${payingWalletOf(turn)} has no ${types.join('/')} for ${reservationId}`);
  return decision;
}

function asInput(deps: WalletStepDeps, decision: WalletEvent): TurnInput {
  const now = deps.now();
  const at = now.toISOString();
  switch (decision.type) {
    case 'FundsReserved': {
      const deadlineAt = new Date(now.getTime() + deps.reservationTimeoutMs).toISOString();
      return { type: 'WalletReserved', reservationId: decision.data.reservationId, amount: decision.data.amount, deadlineAt, at };
    }
    case 'ReservationDeclined': {
      const { reservationId, amount, available } = decision.data;
      return { type: 'WalletDeclined', reservationId, amount, available, at };
    }
    case 'FundsCaptured': {
      const { reservationId, amount, released } = decision.data;
      return { type: 'WalletCaptured', reservationId, amount, released, at };
    }
    case 'FundsReleased': {
      const { reservationId, amount, reason } = decision.data;
      return { type: 'WalletReleased', reservationId, amount, reason, at };
    }
    case 'FundsDeposited':
    case 'FundsTransferredOut':
      throw new Error(`${decision.type} is not a decision about a reservation`);
  }
}

/**
 * Every wallet line of a turn names its asker (metadata.userId: the ledger's askedBy, also when a workspace pays),
 * and the API key when the question came through one (metadata.apiKeyId).
 */
const metadataOf = (turn: TurnStartedData, step: string, traceparent: string | undefined): EventMetadata => ({
  correlationId: turn.turnId,
  commandId: `${step}-${turn.turnId}`,
  userId: turn.userId,
  ...(turn.apiKeyId !== undefined && { apiKeyId: turn.apiKeyId }),
  ...(traceparent && { traceparent }),
});

const reserveCommand = (turn: TurnStartedData): WalletCommand => {
  const { turnId, reservationAmount: amount } = turn;
  return { type: 'ReserveFunds', data: { userId: payingWalletOf(turn), reservationId: reservationIdOf(turnId), amount, turnId } };
};

const HOLD_DECISIONS: readonly WalletEventType[] = ['FundsReserved', 'ReservationDeclined'];

export async function reserveFunds(deps: WalletStepDeps, turn: TurnStartedData, traceparent?: string): Promise<TurnInput> {
  const result = await deps.wallets.execute(reserveCommand(turn), metadataOf(turn, 'reserve', traceparent));
  return asInput(deps, await decisionOf(deps, turn, result.events, HOLD_DECISIONS));
}

type Usage = { model: string; promptTokens: number; completionTokens: number };

const captureCommand = (turn: TurnStartedData, amount: number, { model, promptTokens, completionTokens }: Usage): CaptureFundsCommand => ({
  type: 'CaptureFunds',
  data: { userId: payingWalletOf(turn), reservationId: reservationIdOf(turn.turnId), amount, model, promptTokens, completionTokens, price: turn.price },
});

/** A wallet decision made ahead no longer stands: the wallet or the turn changed before the write that carried it. */
export class OutdatedAhead extends Error {}

/** A wallet decision made ahead (its turn input) and the wallet's part of the write that records it. */
export interface DecidedAhead {
  input: TurnInput;
  /** For decideAndAppendAll (the runner's record(…, before)): written once as decided, or OutdatedAhead. */
  part: StreamDecision<unknown>;
}

/**
 * A wallet command decided now, on the wallet as this process last saw it, to be written with what the turn records
 * of it in one write (one transaction on the SQL stores; on EventStoreDB the wallet's first). Undefined when it
 * cannot be (the wallet refuses, as for a released hold; it decided this before): the caller goes the usual way.
 * A write that meets a concurrent change rejects with OutdatedAhead, nothing of it written (SQL): the usual way too.
 */
async function decideAhead(
  deps: WalletStepDeps,
  command: WalletCommand,
  metadata: EventMetadata,
  turn: TurnStartedData,
  types: readonly WalletEventType[],
): Promise<DecidedAhead | undefined> {
  const ahead = await deps.wallets.decideAhead(command, metadata).catch(() => undefined);
  const reservationId = reservationIdOf(turn.turnId);
  const decision = ahead?.events.find((e) => types.includes(e.type) && 'reservationId' in e.data && e.data.reservationId === reservationId);
  if (!ahead || !decision) return undefined;
  const { part } = ahead;
  return {
    input: asInput(deps, decision),
    part: { streamId: part.streamId, decide: (attempt) => (attempt === 0 ? part.decide(0) : Promise.reject(new OutdatedAhead())) },
  };
}

export const reserveAhead = (deps: WalletStepDeps, turn: TurnStartedData, traceparent?: string) =>
  decideAhead(deps, reserveCommand(turn), metadataOf(turn, 'reserve', traceparent), turn, HOLD_DECISIONS);

export const captureAhead = (deps: WalletStepDeps, turn: TurnStartedData, amount: number, usage: Usage, traceparent?: string) =>
  decideAhead(deps, captureCommand(turn, amount, usage), metadataOf(turn, 'capture', traceparent), turn, ['FundsCaptured']);

export async function captureFunds(
  deps: WalletStepDeps,
  turn: TurnStartedData,
  amount: number,
  usage: Usage,
  traceparent?: string,
): Promise<TurnInput> {
  const command = captureCommand(turn, amount, usage);
  const { userId, reservationId: closedId } = command.data;
  try {
    const result = await deps.wallets.execute(command, metadataOf(turn, 'capture', traceparent));
    return asInput(deps, await decisionOf(deps, turn, result.events, ['FundsCaptured']));
  } catch (error) {
    // The wallet refuses to capture a released hold: record that release (the turn fails unbilled), never charge.
    if (!(error instanceof DomainError && error.code === 'CONFLICT')) throw error;
    const closed = await walletDecision(deps.store, userId, closedId, ['FundsReleased', 'FundsCaptured']);
    if (!closed) throw error;
    return asInput(deps, closed);
  }
}

export async function releaseFunds(deps: WalletStepDeps, turn: TurnStartedData, reason: string, traceparent?: string): Promise<TurnInput> {
  const { turnId } = turn;
  const userId = payingWalletOf(turn);
  const reservationId = reservationIdOf(turnId);
  const nothingHeld = (why: string): TurnInputOf<'WalletReleased'> => ({
    type: 'WalletReleased',
    reservationId,
    amount: 0,
    reason: `${reason} (${why})`,
    at: deps.now().toISOString(),
  });
  try {
    const result = await deps.wallets.execute({ type: 'ReleaseFunds', data: { userId, reservationId, reason } }, metadataOf(turn, 'release', traceparent));
    const types: WalletEventType[] = ['FundsReleased', 'FundsCaptured', 'ReservationDeclined'];
    const decision = await decisionOf(deps, turn, result.events, types);
    return decision.type === 'ReservationDeclined' ? nothingHeld('the reservation had been declined') : asInput(deps, decision);
  } catch (error) {
    // Stopped or failed before the reservation was made: nothing to give back.
    if (error instanceof DomainError && error.code === 'NOT_FOUND') return nothingHeld('nothing was held');
    throw error;
  }
}
