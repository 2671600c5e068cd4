/**
 * A turn's causation chain, read from the log alone: the conversation events that added it, every event of its
 * `turn-{id}` stream (question, hold, retrieval, answer, settlement, end, ratings) and the wallet's events about its
 * reservation `turn-{id}`, in log order, with what was retrieved (document revisions, scores), the model, usage, price
 * and how the charge follows from them (turn-charge.ts). Served as `Turn.trail` and printed by `npm run audit`.
 *
 * Document events are not part of it: a chunk names its document and revision, and `npm run audit -- document`
 * shows that document's history (its chunk events carry whole texts, too heavy to repeat for every answer).
 */
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { comparePositions } from '../../contracts/position.ts';
import { conversationStream, turnStream, walletStream } from '../../contracts/streams.ts';
import {
  parseTurnEvent,
  payingWalletOf,
  reservationIdOf,
  type RetrievedChunk,
  type TurnEvent,
  type TurnEventOf,
  type TurnStatus,
  type TurnUsage,
} from '../../contracts/turns.ts';
import { parseWalletEvent, WALLET_EVENT_TYPES, type ModelPrice, type WalletEvent } from '../../contracts/wallet.ts';
import type { StreamReader } from './stream-reader.ts';
import { explainCharge, type TurnCharge } from './turn-charge.ts';

export interface TurnTrail {
  turnId: string;
  userId: string;
  conversationId: string;
  knowledgeBaseId: string;
  question: string;
  status: TurnStatus;
  model: string;
  price: ModelPrice;
  maxTokens: number;
  promptEstimate: number;
  /** The chunks the answer was built from, each with its document revision and score ([] before retrieval). */
  retrieved: RetrievedChunk[];
  /** The usage recorded with a completed or stopped answer. */
  usage: TurnUsage | null;
  charge: TurnCharge;
  /** Every event of the chain across its streams, in log order. */
  events: RecordedEvent[];
}

export interface TurnTrailSources {
  /** The whole `turn-{id}` stream. */
  turn: readonly RecordedEvent[];
  /** The turn's conversation stream (whole or from before the turn was added). */
  conversation: readonly RecordedEvent[];
  /** Wallet events from at least the turn's start on; those about other reservations are left out. */
  wallet: readonly RecordedEvent[];
}

type EndEvent = TurnEventOf<'TurnCompleted' | 'TurnStopped' | 'TurnFailed' | 'TurnRejected'>;

const END_STATUS: Readonly<Record<EndEvent['type'], TurnStatus>> = {
  TurnCompleted: 'completed',
  TurnStopped: 'stopped',
  TurnFailed: 'failed',
  TurnRejected: 'rejected',
};

function statusOf(events: readonly TurnEvent[], end: EndEvent | null): TurnStatus {
  if (end) return END_STATUS[end.type];
  if (events.some((e) => e.type === 'RetrievalCompleted')) return 'generating';
  return events.some((e) => e.type === 'TurnFundsReserved') ? 'retrieving' : 'reserving';
}

/** The conversation events of this turn: its ConversationTurnAdded, and ConversationStarted when it began the conversation. */
function conversationEventsOf(events: readonly RecordedEvent[], turnId: string): RecordedEvent[] {
  const added = events.filter((e) => e.type === 'ConversationTurnAdded');
  const own = added.filter((e) => e.data.turnId === turnId);
  const startedByThisTurn = added[0]?.data.turnId === turnId;
  return [...(startedByThisTurn ? events.filter((e) => e.type === 'ConversationStarted') : []), ...own];
}

function walletEventsOf(events: readonly RecordedEvent[], turnId: string): RecordedEvent[] {
  const reservationId = reservationIdOf(turnId);
  const walletTypes: readonly string[] = WALLET_EVENT_TYPES;
  return events.filter((e) => walletTypes.includes(e.type) && e.data.reservationId === reservationId);
}

/** The trail from the streams' events (pure); undefined when the turn stream holds no question. */
export function turnTrailOf(sources: TurnTrailSources): TurnTrail | undefined {
  const turnEvents = sources.turn.map(parseTurnEvent);
  const started = turnEvents[0]?.type === 'TurnStarted' ? turnEvents[0] : undefined;
  if (!started) return undefined;
  const { turnId, userId, conversationId, knowledgeBaseId, question, model, price, maxTokens, promptEstimate } = started.data;
  const find = <T extends TurnEvent['type']>(...types: T[]) =>
    turnEvents.findLast((e): e is Extract<typeof e, { type: T }> => (types as string[]).includes(e.type)) ?? null;
  const answer = find('AnswerCompleted', 'AnswerStopped');
  const end = find('TurnCompleted', 'TurnStopped', 'TurnFailed', 'TurnRejected');
  const walletRecorded = walletEventsOf(sources.wallet, turnId);
  const wallet: WalletEvent[] = walletRecorded.map(parseWalletEvent);
  const charge = explainCharge({
    price,
    asked: started.data.reservationAmount,
    usage: answer?.data.usage ?? null,
    wallet,
    turnReleased: find('TurnFundsReleased') !== null,
    end,
  });
  const events = [...conversationEventsOf(sources.conversation, turnId), ...sources.turn, ...walletRecorded].sort((a, b) =>
    comparePositions(a.position, b.position),
  );
  return {
    turnId,
    userId,
    conversationId,
    knowledgeBaseId,
    question,
    status: statusOf(turnEvents, end),
    model,
    price,
    maxTokens,
    promptEstimate,
    retrieved: find('RetrievalCompleted')?.data.chunks ?? [],
    usage: answer?.data.usage ?? null,
    charge,
    events,
  };
}

/** Reads a turn's streams and builds its trail; undefined for a turn that does not exist. */
export async function readTurnTrail(reader: StreamReader, turnId: string): Promise<TurnTrail | undefined> {
  const turn = await reader.eventsAfter(turnStream(turnId));
  const started = turn[0] && parseTurnEvent(turn[0]);
  if (started?.type !== 'TurnStarted') return undefined;
  const { conversationId } = started.data;
  // The paying wallet's decisions about this turn all follow its question in the log.
  const [conversation, wallet] = await Promise.all([
    reader.eventsAfter(conversationStream(conversationId)),
    reader.eventsAfter(walletStream(payingWalletOf(started.data)), started.position),
  ]);
  return turnTrailOf({ turn, conversation, wallet });
}
