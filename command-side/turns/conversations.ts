/**
 * Conversations on `conversation-{id}`: who owns one, its knowledge base, and its turns in order. ConversationTurnAdded
 * is written with the turn's TurnStarted, ahead of it: in one transaction on the SQL stores; on EventStoreDB, one
 * after the other, so a crash between the two leaves a listed turn without a stream, which readers skip. History
 * for a follow-up question is read from the turns listed here.
 */
import { nameBasedId } from '../name-based-id.ts';
import type { HistoryTurn } from '../../contracts/answer-generation.ts';
import type { EventData, EventMetadata, EventStore } from '../../contracts/eventstore.ts';
import { conversationStream } from '../../contracts/streams.ts';
import { parseConversationEvent, type ConversationEvent } from '../../contracts/turns.ts';
import { TurnError, type TurnActor } from '../../contracts/turn-commands.ts';
import type { Decision, StreamDecision } from '../decider.ts';
import type { TurnState } from './state.ts';

const CONVERSATION_NAMESPACE = '9e4c2b1d-3f6a-4c8e-b7d5-1a2f3e4d5c6b';

export interface Conversation {
  conversationId: string;
  userId: string;
  knowledgeBaseId: string;
  turnIds: string[];
  revision: number;
}

export async function loadConversation(store: EventStore, conversationId: string): Promise<Conversation | undefined> {
  const recorded = await store.readStream(conversationStream(conversationId));
  let conversation: Conversation | undefined;
  for (const event of recorded) {
    const parsed = parseConversationEvent(event);
    if (parsed.type === 'ConversationStarted') {
      const { userId, knowledgeBaseId } = parsed.data;
      conversation = { conversationId, userId, knowledgeBaseId, turnIds: [], revision: event.revision };
    } else if (conversation) conversation.turnIds.push(parsed.data.turnId);
    if (conversation) conversation.revision = event.revision;
  }
  return conversation;
}

/** The caller's conversation in this knowledge base, or a typed refusal. */
export async function ownConversation(store: EventStore, actor: TurnActor, conversationId: string, knowledgeBaseId: string) {
  const conversation = await loadConversation(store, conversationId);
  if (!conversation) throw new TurnError('CONVERSATION_NOT_FOUND', `conversation ${conversationId} does not exist`);
  if (conversation.userId !== actor.id) throw new TurnError('FORBIDDEN', 'this conversation belongs to someone else');
  if (conversation.knowledgeBaseId !== knowledgeBaseId) {
    throw new TurnError('CONVERSATION_OTHER_KNOWLEDGE_BASE', `conversation ${conversationId} is about another knowledge base`);
  }
  return conversation;
}

/**
 * The decision that starts the conversation if `start` is given, and lists the turn in it; idempotent per turn
 * (deterministic ids). `known`: the conversation as just read, decided on first.
 */
export function turnListedInConversation(
  store: EventStore,
  conversationId: string,
  turnId: string,
  at: string,
  start: { userId: string; knowledgeBaseId: string; title: string } | undefined,
  metadata: EventMetadata,
  known?: Conversation,
): StreamDecision<void> {
  const streamId = conversationStream(conversationId);
  const event = (data: ConversationEvent): EventData => ({
    id: nameBasedId(`${streamId}|${data.type}|${turnId}`, CONVERSATION_NAMESPACE),
    type: data.type,
    data: data.data,
    metadata,
  });
  const added = event({ type: 'ConversationTurnAdded', data: { conversationId, turnId, at } });
  // Two questions at once in one conversation: both are listed, in the order the log took them.
  const decide = async (attempt: number): Promise<Decision<void>> => {
    if (start) {
      const started = event({ type: 'ConversationStarted', data: { conversationId, ...start, startedAt: at } });
      return { revision: -1, events: [started, added], complete: () => undefined };
    }
    const conversation = attempt === 0 && known ? known : await loadConversation(store, conversationId);
    if (!conversation) throw new TurnError('CONVERSATION_NOT_FOUND', `conversation ${conversationId} does not exist`);
    const events = conversation.turnIds.includes(turnId) ? [] : [added];
    return { revision: conversation.revision, events, complete: () => undefined };
  };
  return { streamId, decide };
}

export type LoadTurn = (turnId: string) => Promise<TurnState>;

const answerOf = (state: TurnState): HistoryTurn | undefined =>
  state.started && state.answer && state.answer.kind !== 'failed' && state.answer.answer !== ''
    ? { question: state.started.question, answer: state.answer.answer }
    : undefined;

/** Questions and answers of these turns that have an answer (completed or stopped), in the given order. */
export async function historyOf(loadTurn: LoadTurn, turnIds: readonly string[]): Promise<HistoryTurn[]> {
  const turns = await Promise.all(turnIds.map(loadTurn));
  return turns.flatMap((state) => answerOf(state) ?? []);
}

/** The latest `limit` turns of the conversation that have an answer: ids and texts, oldest first. */
export async function recentHistory(loadTurn: LoadTurn, conversation: Conversation, limit: number) {
  const candidates = conversation.turnIds.slice(-limit * 2);
  const turns = await Promise.all(candidates.map(async (turnId) => ({ turnId, turn: answerOf(await loadTurn(turnId)) })));
  const chosen = turns.filter((t) => t.turn !== undefined).slice(-limit);
  return { turnIds: chosen.map((t) => t.turnId), history: chosen.map((t) => t.turn!) };
}
