/**
 * Turn rules. Pure: an input and the folded state in, the events to record out. An outcome the turn already has
 * (a step repeated after a crash, a late answer after the deadline failed the turn) decides nothing: that is what
 * makes every step of the saga safe to run twice.
 */
import { DomainError } from '../../contracts/errors.ts';
import { TurnError } from '../../contracts/turn-commands.ts';
import type { TurnEvent } from '../../contracts/turns.ts';
import type { TurnInput, TurnInputOf } from './inputs.ts';
import { evolve, type TurnStartedData, type TurnState } from './state.ts';

function existing(state: TurnState): TurnStartedData {
  if (!state.started) throw new TurnError('TURN_NOT_FOUND', 'no such turn');
  return state.started;
}

function owned(state: TurnState, by: string): TurnStartedData {
  const started = existing(state);
  if (started.userId !== by) throw new TurnError('FORBIDDEN', 'only the asker of a turn may change it', { turnId: started.turnId });
  return started;
}

function start(input: TurnInputOf<'StartTurn'>, state: TurnState): TurnEvent[] {
  if (!state.started) return [{ type: 'TurnStarted', data: input.data }];
  // The same start retried (a lost reply) is done; anything else under this id is a client bug.
  if (JSON.stringify(state.started) === JSON.stringify(input.data)) return [];
  throw new DomainError('CONFLICT', `turn ${input.data.turnId} already exists`, { turnId: input.data.turnId });
}

function rate(input: TurnInputOf<'RateTurn'>, state: TurnState): TurnEvent[] {
  const { turnId } = owned(state, input.by);
  if (!state.end || state.end.type === 'TurnRejected') {
    throw new TurnError('TURN_NOT_RATEABLE', 'a turn can be rated once it has an answer (completed, stopped or failed)', { turnId });
  }
  const { rating, comment, by, at } = input;
  return [{ type: 'TurnRated', data: { turnId, rating, comment, by, at } }];
}

/** The terminal event the recorded outcomes call for. */
function finish(at: string, state: TurnState): TurnEvent[] {
  const { turnId } = existing(state);
  const { funds, answer, settlement } = state;
  if (funds?.kind === 'declined') {
    const reason = `insufficient funds: this question may cost up to ${funds.amount} micro-credits, ${funds.available} available`;
    const data = { turnId, code: 'INSUFFICIENT_FUNDS' as const, reason, needed: funds.amount, available: funds.available, at };
    return [{ type: 'TurnRejected', data }];
  }
  if (!answer || !settlement) throw new Error(`turn ${turnId} cannot finish before its answer is settled`);
  const cost = settlement.kind === 'captured' ? settlement.amount : 0;
  if (answer.kind === 'failed') return [{ type: 'TurnFailed', data: { turnId, reason: answer.reason, at } }];
  if (answer.kind === 'stopped') return [{ type: 'TurnStopped', data: { turnId, cost, at } }];
  if (settlement.kind === 'released') {
    // A completed answer is always captured (next-step.ts), so a release here means something else released the
    // hold before the charge (a deadline that raced it): the turn is not billed and says why.
    return [{ type: 'TurnFailed', data: { turnId, reason: `the hold was released before the charge: ${settlement.reason}`, at } }];
  }
  return [{ type: 'TurnCompleted', data: { turnId, cost, at } }];
}

/**
 * A declined reservation or a settled hold leaves nothing to wait for: the turn ends in the same append (one write
 * less per turn, and no state in which the money is settled but the turn still open).
 */
function andEnd(events: TurnEvent[], state: TurnState, at: string): TurnEvent[] {
  return [...events, ...finish(at, events.reduce(evolve, state))];
}

export function decide(input: TurnInput, state: TurnState): TurnEvent[] {
  if (input.type === 'StartTurn') return start(input, state);
  if (input.type === 'RateTurn') return rate(input, state);
  const { turnId } = input.type === 'RequestStop' ? owned(state, input.by) : existing(state);
  const { at } = input;
  if (state.end) return [];
  switch (input.type) {
    case 'RequestStop':
      return state.stopRequested ? [] : [{ type: 'TurnStopRequested', data: { turnId, by: input.by, at } }];
    case 'WalletReserved': {
      if (state.funds) return [];
      const { reservationId, amount, deadlineAt } = input;
      return [{ type: 'TurnFundsReserved', data: { turnId, reservationId, amount, deadlineAt, at } }];
    }
    case 'WalletDeclined': {
      if (state.funds) return [];
      const { reservationId, amount, available } = input;
      return andEnd([{ type: 'TurnReservationDeclined', data: { turnId, reservationId, amount, available, at } }], state, at);
    }
    case 'Retrieved':
      if (state.funds?.kind !== 'reserved' || state.retrieval || state.answer) return [];
      return [{ type: 'RetrievalCompleted', data: { turnId, chunks: input.chunks, at } }];
    case 'GenerationStarting':
      if (!state.retrieval || state.generationStarted || state.answer || state.stopRequested) return [];
      return [{ type: 'GenerationStarted', data: { turnId, at } }];
    case 'AnswerGenerated': {
      if (state.answer) return [];
      const { userId } = existing(state);
      const { answer, usage, citations, finishReason } = input;
      if (input.outcome === 'stopped') return [{ type: 'AnswerStopped', data: { turnId, userId, answer, usage, citations, at } }];
      return [{ type: 'AnswerCompleted', data: { turnId, userId, answer, usage, citations, finishReason, at } }];
    }
    case 'GenerationFailed':
      if (state.answer) return [];
      return [{ type: 'AnswerFailed', data: { turnId, kind: input.kind, reason: input.reason, at } }];
    case 'WalletCaptured': {
      if (state.settlement) return [];
      const { reservationId, amount, released } = input;
      return andEnd([{ type: 'TurnFundsCaptured', data: { turnId, reservationId, amount, released, at } }], state, at);
    }
    case 'WalletReleased': {
      if (state.settlement) return [];
      const { reservationId, amount, reason } = input;
      return andEnd([{ type: 'TurnFundsReleased', data: { turnId, reservationId, amount, reason, at } }], state, at);
    }
    default: {
      const unhandled: never = input;
      throw new Error(`unknown turn input ${JSON.stringify(unhandled)}`);
    }
  }
}
