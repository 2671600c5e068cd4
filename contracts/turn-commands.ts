/**
 * The turn command port the query side calls (ask, stopAnswer, regenerate, rateTurn, turn), its typed errors and
 * the turn as the API shows it. Implemented by command-side/turns (createTurns), injected by the composition root.
 */
import { DomainError, type ErrorCode } from './errors.ts';
import type { EventMetadata } from './eventstore.ts';
import type { Citation, Rating, TurnStatus } from './turns.ts';

/** Who asks. Admins may ask any knowledge base; a turn belongs to its asker alone. */
export interface TurnActor {
  id: string;
  role: 'admin' | 'member';
}

/** Why a turn command was refused; each maps to one API error code. */
export const TURN_ERROR_REASONS = {
  EMPTY_QUESTION: 'BAD_USER_INPUT',
  QUESTION_TOO_LONG: 'BAD_USER_INPUT',
  BAD_MAX_TOKENS: 'BAD_USER_INPUT',
  BAD_COMMENT: 'BAD_USER_INPUT',
  BAD_IDEMPOTENCY_KEY: 'BAD_USER_INPUT',
  IDEMPOTENCY_KEY_REUSED: 'CONFLICT',
  CONVERSATION_OTHER_KNOWLEDGE_BASE: 'BAD_USER_INPUT',
  TURN_NOT_RATEABLE: 'BAD_USER_INPUT',
  KNOWLEDGE_BASE_NOT_FOUND: 'NOT_FOUND',
  CONVERSATION_NOT_FOUND: 'NOT_FOUND',
  TURN_NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
} as const satisfies Record<string, ErrorCode>;
export type TurnErrorReason = keyof typeof TURN_ERROR_REASONS;

export class TurnError extends DomainError {
  readonly reason: TurnErrorReason;

  constructor(reason: TurnErrorReason, message: string, details: Record<string, unknown> = {}) {
    super(TURN_ERROR_REASONS[reason], message, { reason, ...details });
    this.name = 'TurnError';
    this.reason = reason;
  }
}

export interface TurnFeedback {
  rating: Rating;
  comment: string | null;
  at: string;
}

/** GraphQL `Turn`, folded from the turn's stream. */
export interface TurnView {
  id: string;
  conversationId: string;
  knowledgeBaseId: string;
  userId: string;
  question: string;
  status: TurnStatus;
  /** The answer so far once it is recorded (completed or stopped); null before. */
  answer: string | null;
  /** Why it failed or was rejected (INSUFFICIENT_FUNDS: ...). */
  error: string | null;
  errorCode: string | null;
  /** INSUFFICIENT_FUNDS only: the hold the question needed, and what was available. */
  fundsNeeded: number | null;
  fundsAvailable: number | null;
  citations: Citation[];
  /** Micro-credits charged, once settled. */
  cost: number | null;
  usage: { model: string; promptTokens: number; completionTokens: number } | null;
  feedback: TurnFeedback | null;
  regeneratedFrom: string | null;
  createdAt: string;
}

export interface AskInput {
  knowledgeBaseId: string;
  question: string;
  conversationId?: string | null;
  maxTokens?: number | null;
  /** 1..200 characters: an ask retried with the same key answers with the turn the first attempt started. */
  idempotencyKey?: string | null;
  /** The API key the question came through: recorded with the turn, and on its wallet events' metadata. */
  apiKeyId?: string;
}

export interface AskOptions {
  /**
   * Checks a new turn must pass, given the hold it will ask the wallet for (its worst case), before anything is
   * recorded: an API key's credits per day. Throwing refuses the question. Not called for a retry that finds the
   * turn its idempotency key started.
   */
  admit?(hold: { turnId: string; amount: number }): Promise<void>;
}

export interface TurnCommands {
  /** Starts a turn and returns it at once (status `reserving`); the saga does the rest. */
  ask(actor: TurnActor, input: AskInput, metadata?: EventMetadata, options?: AskOptions): Promise<TurnView>;
  /** Aborts the answer; the turn ends `stopped` and the tokens generated so far are charged. */
  stop(actor: TurnActor, turnId: string, metadata?: EventMetadata): Promise<TurnView>;
  /** A new turn for the same question in the same conversation. */
  regenerate(actor: TurnActor, turnId: string, metadata?: EventMetadata): Promise<TurnView>;
  rate(actor: TurnActor, turnId: string, rating: Rating, comment: string | null, metadata?: EventMetadata): Promise<TurnView>;
  /** The owner's turn, folded from its stream. */
  turn(actor: TurnActor, turnId: string): Promise<TurnView>;
  /**
   * Whether this actor asked this turn in this process moments ago (it is still being answered): answerStream then
   * follows it without reading it first. False says nothing: read it with `turn`.
   */
  askedHere(actor: TurnActor, turnId: string): boolean;
}
