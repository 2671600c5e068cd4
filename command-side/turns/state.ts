/**
 * A turn's state, folded from `turn-{id}`: what the saga has recorded so far. Each field is one step's outcome,
 * so `next-step.ts` can tell the step still missing by looking at which are set.
 */
import type { AnswerFailureKind, Citation, RetrievedChunk, TurnEvent, TurnEventOf, TurnStatus, TurnUsage } from '../../contracts/turns.ts';
import type { TurnFeedback } from '../../contracts/turn-commands.ts';

export type TurnStartedData = TurnEventOf<'TurnStarted'>['data'];

export type Funds =
  | { kind: 'reserved'; reservationId: string; amount: number; deadlineAt: string }
  | { kind: 'declined'; reservationId: string; amount: number; available: number };

export type Answer =
  | { kind: 'completed' | 'stopped'; answer: string; usage: TurnUsage; citations: Citation[] }
  | { kind: 'failed'; failure: AnswerFailureKind; reason: string };

export type Settlement =
  | { kind: 'captured'; amount: number }
  | { kind: 'released'; amount: number; reason: string };

export type TurnEnd =
  | { type: 'TurnCompleted' | 'TurnStopped'; cost: number; at: string }
  | { type: 'TurnFailed'; reason: string; at: string }
  | { type: 'TurnRejected'; reason: string; at: string };

export interface TurnState {
  started: TurnStartedData | null;
  stopRequested: boolean;
  funds: Funds | null;
  retrieval: RetrievedChunk[] | null;
  generationStarted: boolean;
  answer: Answer | null;
  settlement: Settlement | null;
  end: TurnEnd | null;
  feedback: TurnFeedback | null;
}

export const initialState = (): TurnState => ({
  started: null,
  stopRequested: false,
  funds: null,
  retrieval: null,
  generationStarted: false,
  answer: null,
  settlement: null,
  end: null,
  feedback: null,
});

const END_STATUS = { TurnCompleted: 'completed', TurnStopped: 'stopped', TurnFailed: 'failed', TurnRejected: 'rejected' } as const;

/** The API status (contracts TURN_STATUSES); undefined for a turn that does not exist. */
export function statusOf(state: TurnState): TurnStatus | undefined {
  if (!state.started) return undefined;
  if (state.end) return END_STATUS[state.end.type];
  if (state.funds?.kind !== 'reserved') return 'reserving';
  return state.retrieval ? 'generating' : 'retrieving';
}

export function evolve(state: TurnState, event: TurnEvent): TurnState {
  switch (event.type) {
    case 'TurnStarted':
      return { ...state, started: event.data };
    case 'TurnStopRequested':
      return { ...state, stopRequested: true };
    case 'TurnFundsReserved': {
      const { reservationId, amount, deadlineAt } = event.data;
      return { ...state, funds: { kind: 'reserved', reservationId, amount, deadlineAt } };
    }
    case 'TurnReservationDeclined': {
      const { reservationId, amount, available } = event.data;
      return { ...state, funds: { kind: 'declined', reservationId, amount, available } };
    }
    case 'RetrievalCompleted':
      return { ...state, retrieval: event.data.chunks };
    case 'GenerationStarted':
      return { ...state, generationStarted: true };
    case 'AnswerCompleted':
    case 'AnswerStopped': {
      const { answer, usage, citations } = event.data;
      const kind = event.type === 'AnswerCompleted' ? 'completed' : 'stopped';
      return { ...state, answer: { kind, answer, usage, citations } };
    }
    case 'AnswerFailed':
      return { ...state, answer: { kind: 'failed', failure: event.data.kind, reason: event.data.reason } };
    case 'TurnFundsCaptured':
      return { ...state, settlement: { kind: 'captured', amount: event.data.amount } };
    case 'TurnFundsReleased':
      return { ...state, settlement: { kind: 'released', amount: event.data.amount, reason: event.data.reason } };
    case 'TurnCompleted':
    case 'TurnStopped':
      return { ...state, end: { type: event.type, cost: event.data.cost, at: event.data.at } };
    case 'TurnFailed':
    case 'TurnRejected':
      return { ...state, end: { type: event.type, reason: event.data.reason, at: event.data.at } };
    case 'TurnRated': {
      const { rating, comment, at } = event.data;
      return { ...state, feedback: { rating, comment, at } };
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unknown turn event ${JSON.stringify(unhandled)}`);
    }
  }
}
