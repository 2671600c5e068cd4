/**
 * Turns: one question and its answer on stream `turn-{id}`, which is also the state of the billing saga's process
 * manager (command-side/turns). Events are declared with zod schemas and parsed once where they are read
 * (parseTurnEvent), so a malformed event fails with a clear message instead of travelling on as a cast.
 *
 * Life of a turn (status in brackets):
 *   TurnStarted [reserving] -> TurnFundsReserved [retrieving] -> RetrievalCompleted [generating] -> GenerationStarted
 *     -> AnswerCompleted | AnswerStopped -> TurnFundsCaptured -> TurnCompleted [completed] | TurnStopped [stopped]
 *     -> AnswerFailed (provider, deadline, lost process) -> TurnFundsReleased -> TurnFailed [failed]
 *   TurnStarted -> TurnReservationDeclined -> TurnRejected [rejected]   (INSUFFICIENT_FUNDS, nothing charged)
 * TurnStopRequested and TurnRated may come at any time from the owner; the last rating counts.
 * The Turn* funds events mirror the wallet's decisions about reservation `turn-{turnId}` (the wallet stream stays
 * the ledger); they carry other names so a filter on wallet event types never picks up a turn's copy.
 */
import { z } from 'zod';
import { eventParser, type EventsOf } from './event-parser.ts';
import { micros, modelPriceSchema, nonNegativeMicros, positiveMicros } from './wallet.ts';

export const TURN_STATUSES = ['reserving', 'rejected', 'retrieving', 'generating', 'completed', 'stopped', 'failed'] as const;
export type TurnStatus = (typeof TURN_STATUSES)[number];
export const FINISHED_TURN_STATUSES: readonly TurnStatus[] = ['rejected', 'completed', 'stopped', 'failed'];

/**
 * Why no answer: the provider refused or failed before a token; the stream broke midway; the deadline passed; the
 * process answering died (a generation cannot be resumed); retrieval or the reservation kept failing.
 */
export const ANSWER_FAILURE_KINDS = ['provider', 'interrupted', 'deadline', 'lost', 'retrieval', 'reservation'] as const;
export type AnswerFailureKind = (typeof ANSWER_FAILURE_KINDS)[number];

export const RATINGS = ['UP', 'DOWN'] as const;
export type Rating = (typeof RATINGS)[number];

/** The wallet reservation of a turn: one per turn, so every wallet command about it is idempotent. */
export const reservationIdOf = (turnId: string) => `turn-${turnId}`;
/** Whose wallet pays for a turn: TurnStarted.walletId, else (absent) the asker's. */
export const payingWalletOf = (started: { userId: string; walletId?: string | undefined }): string => started.walletId ?? started.userId;

const id = z.string().min(1).max(200);
const at = z.string().min(1);
const tokens = z.number().int().nonnegative();

export const usageSchema = z.object({
  model: z.string().min(1),
  promptTokens: tokens,
  completionTokens: tokens,
  /** true: reported by the provider; false: counted locally with the tokenizer. */
  reported: z.boolean(),
});
export type TurnUsage = z.infer<typeof usageSchema>;

export const retrievedChunkSchema = z.object({
  /** 1-based number the answer cites as [n]. */
  n: z.number().int().positive(),
  chunkId: id,
  documentId: id,
  /** The document revision the chunk belongs to (audit: which text the answer was built from). */
  revision: z.number().int().positive(),
  documentName: z.string(),
  headingPath: z.array(z.string()),
  score: z.number(),
  /** Kept in the event so a resumed turn generates from exactly what was retrieved, and projectors never call out. */
  text: z.string(),
});
export type RetrievedChunk = z.infer<typeof retrievedChunkSchema>;

export const citationSchema = z.object({
  n: z.number().int().positive(),
  chunkId: id,
  documentId: id,
  documentName: z.string(),
  excerpt: z.string(),
  score: z.number(),
});
export type Citation = z.infer<typeof citationSchema>;

export const turnEventSchemas = {
  TurnStarted: z.object({
    turnId: id,
    conversationId: id,
    userId: id,
    knowledgeBaseId: id,
    question: z.string().min(1),
    maxTokens: z.number().int().positive(),
    model: z.string().min(1),
    price: modelPriceSchema,
    /** Prompt tokens of the largest prompt this question can produce (real tokenizer). */
    promptEstimate: tokens,
    /** (promptEstimate + maxTokens) at the price: the hold asked of the wallet. */
    reservationAmount: positiveMicros,
    /** Earlier turns of the conversation given to the model as history, oldest first. */
    historyTurnIds: z.array(id),
    regeneratedFrom: id.nullable(),
    startedAt: at,
    /**
     * The API key the question came through (POST /v1/chat/completions); absent when asked in the app. Optional, so
     * every TurnStarted recorded before keys existed still parses as it is (no schema version needed).
     */
    apiKeyId: id.optional(),
    /**
     * The holder of the wallet that pays for the turn (`wallet-{walletId}`): the workspace of the knowledge base
     * when its wallet was open when the question was asked. Absent: the asker's own wallet (every TurnStarted
     * recorded before workspace wallets existed, which so replay unchanged).
     */
    walletId: id.optional(),
  }),
  TurnStopRequested: z.object({ turnId: id, by: id, at }),
  TurnFundsReserved: z.object({
    turnId: id,
    reservationId: id,
    amount: positiveMicros,
    /** The hold is released if the answer is not finished by then (RESERVATION_TIMEOUT_MS after the hold). */
    deadlineAt: at,
    at,
  }),
  TurnReservationDeclined: z.object({ turnId: id, reservationId: id, amount: positiveMicros, available: micros, at }),
  RetrievalCompleted: z.object({ turnId: id, chunks: z.array(retrievedChunkSchema), at }),
  /** Recorded before the provider is called: a turn found in this state with no answer lost its process. */
  GenerationStarted: z.object({ turnId: id, at }),
  AnswerCompleted: z.object({
    turnId: id,
    /** The asker (the answer is theirs: sealed under their key); null when recorded before schema 2 (answer-asker.ts). */
    userId: id.nullable(),
    answer: z.string(),
    usage: usageSchema,
    citations: z.array(citationSchema),
    finishReason: z.string().nullable(),
    at,
  }),
  /** Stopped by its owner: the partial answer and the tokens it took, which are charged. */
  AnswerStopped: z.object({
    turnId: id,
    /** As in AnswerCompleted. */
    userId: id.nullable(),
    answer: z.string(),
    usage: usageSchema,
    citations: z.array(citationSchema),
    at,
  }),
  AnswerFailed: z.object({
    turnId: id,
    kind: z.enum(ANSWER_FAILURE_KINDS),
    /** For a person. */
    reason: z.string().min(1),
    at,
  }),
  TurnFundsCaptured: z.object({ turnId: id, reservationId: id, amount: nonNegativeMicros, released: nonNegativeMicros, at }),
  TurnFundsReleased: z.object({ turnId: id, reservationId: id, amount: nonNegativeMicros, reason: z.string().min(1), at }),
  TurnCompleted: z.object({ turnId: id, cost: nonNegativeMicros, at }),
  TurnStopped: z.object({ turnId: id, cost: nonNegativeMicros, at }),
  TurnFailed: z.object({ turnId: id, reason: z.string().min(1), at }),
  TurnRejected: z.object({
    turnId: id,
    code: z.literal('INSUFFICIENT_FUNDS'),
    reason: z.string().min(1),
    needed: positiveMicros,
    available: micros,
    at,
  }),
  TurnRated: z.object({ turnId: id, rating: z.enum(RATINGS), comment: z.string().nullable(), by: id, at }),
} as const;

export type TurnEvent = EventsOf<typeof turnEventSchemas>;
export type TurnEventType = TurnEvent['type'];
export type TurnEventOf<T extends TurnEventType> = Extract<TurnEvent, { type: T }>;
export const TURN_EVENT_TYPES = Object.keys(turnEventSchemas) as TurnEventType[];
/** Validates a recorded event of a turn stream; throws MalformedEventError on another type or bad data. */
export const parseTurnEvent = eventParser(turnEventSchemas);

/** Events after which a turn's saga has nothing left to do. */
export const TURN_END_EVENT_TYPES = ['TurnCompleted', 'TurnStopped', 'TurnFailed', 'TurnRejected'] as const satisfies readonly TurnEventType[];

// Conversations: `conversation-{id}` records who owns it, its knowledge base and the order of its turns. -------------

export const conversationEventSchemas = {
  ConversationStarted: z.object({ conversationId: id, userId: id, knowledgeBaseId: id, title: z.string(), startedAt: at }),
  ConversationTurnAdded: z.object({ conversationId: id, turnId: id, at }),
} as const;
export type ConversationEvent = EventsOf<typeof conversationEventSchemas>;
export const parseConversationEvent = eventParser(conversationEventSchemas);
