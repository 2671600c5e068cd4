/**
 * One conversation: its turns (loaded, or started by asking), the answers that are still coming (followed on the
 * stream), and what the user does to a turn: stop, regenerate, rate. A turn that ends is read again for what only
 * the server knows then (cost, usage, the recorded answer).
 */
import { computed, ref, shallowReactive } from 'vue';
import { graphql } from '../graphql/generated';
import type { Rating } from '../graphql/generated/graphql';
import { firstError, type UiError } from '../graphql/errors';
import { useAppContext } from './app-context';
import { isFinished, isStreaming, type ChatTurn, type ServerTurn } from './chat-turn';
import { useAnswerStream } from './useAnswerStream';

export const ChatConversationQuery = graphql(`
  query ChatConversation($id: ID!) {
    conversation(id: $id) {
      id
      title
      knowledgeBaseId
      turns { ...ChatTurnFields }
    }
  }
`);

export const ChatTurnQuery = graphql(`
  query ChatTurn($id: ID!) {
    turn(id: $id) { ...ChatTurnFields }
  }
`);

export const ChatAskMutation = graphql(`
  mutation ChatAsk($knowledgeBaseId: ID!, $question: String!, $conversationId: ID) {
    ask(knowledgeBaseId: $knowledgeBaseId, question: $question, conversationId: $conversationId) { ...ChatTurnFields }
  }
`);

export const ChatStopAnswerMutation = graphql(`
  mutation ChatStopAnswer($turnId: ID!) {
    stopAnswer(turnId: $turnId) { id status }
  }
`);

export const ChatRegenerateMutation = graphql(`
  mutation ChatRegenerate($turnId: ID!) {
    regenerate(turnId: $turnId) { ...ChatTurnFields }
  }
`);

export const ChatRateTurnMutation = graphql(`
  mutation ChatRateTurn($turnId: ID!, $rating: Rating!, $comment: String) {
    rateTurn(turnId: $turnId, rating: $rating, comment: $comment) {
      id
      feedback { rating comment at }
    }
  }
`);

// Query.turn reads a read model that may be a moment behind the end the stream just told: ask again a few times.
const SETTLE_WAITS_MS = [0, 250, 500, 1_000, 2_000, 4_000];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ChatConversationHooks {
  /** The first question of a new conversation created it. */
  onStarted?(conversationId: string): void;
  /** A turn's answer ended (done, failed, or stopped). */
  onTurnEnded?(item: ChatTurn): void;
}

export function useChatConversation(hooks: ChatConversationHooks = {}) {
  const { api } = useAppContext();
  const answers = useAnswerStream();
  const conversationId = ref<string>();
  const knowledgeBaseId = ref<string>();
  const title = ref<string | null>(null);
  const turns = shallowReactive<ChatTurn[]>([]);
  const loading = ref(false);
  const error = ref<UiError>();
  // Bumped whenever another conversation is opened: late answers about the previous one are dropped.
  let generation = 0;

  const streamingTurn = computed(() => turns.find(isStreaming));

  function leave(): void {
    generation++;
    for (const item of turns) item.live?.stop();
    turns.splice(0);
  }

  async function settle(item: ChatTurn, mine: number): Promise<void> {
    for (const wait of SETTLE_WAITS_MS) {
      if (wait) await sleep(wait);
      if (mine !== generation) return;
      const result = await api.urql.query(ChatTurnQuery, { id: item.turn.id }, { requestPolicy: 'network-only' }).toPromise();
      const turn = result.data?.turn;
      if (turn && mine === generation) item.turn = turn;
      if (!turn || isFinished(turn.status)) return;
    }
  }

  function follow(item: ChatTurn, from?: { text: string; lastSeq: number }): void {
    const mine = generation;
    item.live = answers.follow(
      item.turn.id,
      (progress) => {
        if (mine !== generation) return;
        item.stopping = false;
        if (progress.done) void settle(item, mine).then(() => hooks.onTurnEnded?.(item));
      },
      from,
    );
  }

  /** Shows the turn and follows its answer if it is still coming; `fresh`: just asked, so its end is news. */
  function add(turn: ServerTurn, fresh = false): ChatTurn {
    const item = shallowReactive<ChatTurn>({ turn, stopping: false });
    turns.push(item);
    if (!isFinished(turn.status)) follow(item);
    else if (fresh) hooks.onTurnEnded?.(item);
    return item;
  }

  /** Opens a conversation (undefined: a new, empty one). */
  async function open(id: string | undefined): Promise<void> {
    leave();
    const mine = generation;
    conversationId.value = id;
    knowledgeBaseId.value = undefined;
    title.value = null;
    error.value = undefined;
    if (!id) return;
    loading.value = true;
    try {
      const result = await api.urql.query(ChatConversationQuery, { id }, { requestPolicy: 'network-only' }).toPromise();
      if (mine !== generation) return;
      const conversation = result.data?.conversation;
      if (!conversation) {
        error.value = firstError(result.error) ?? { code: 'NOT_FOUND', message: `conversation ${id} not found` };
        return;
      }
      knowledgeBaseId.value = conversation.knowledgeBaseId;
      title.value = conversation.title ?? null;
      for (const turn of [...conversation.turns].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) add(turn);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Asks in this conversation (or starts one); the error to show, or undefined once the turn is under way. */
  async function ask(inKnowledgeBase: string, question: string): Promise<UiError | undefined> {
    const mine = generation;
    const variables = { knowledgeBaseId: inKnowledgeBase, question, conversationId: conversationId.value ?? null };
    const result = await api.urql.mutation(ChatAskMutation, variables).toPromise();
    const turn = result.data?.ask;
    if (!turn) return firstError(result.error);
    if (mine !== generation) return undefined;
    add(turn, true);
    if (!conversationId.value) {
      conversationId.value = turn.conversationId;
      knowledgeBaseId.value = inKnowledgeBase;
      hooks.onStarted?.(turn.conversationId);
    }
    return undefined;
  }

  async function stop(item: ChatTurn): Promise<void> {
    item.stopping = true;
    item.actionError = undefined;
    const result = await api.urql.mutation(ChatStopAnswerMutation, { turnId: item.turn.id }).toPromise();
    if (!result.data) {
      item.stopping = false;
      item.actionError = firstError(result.error);
    }
  }

  async function regenerate(item: ChatTurn): Promise<void> {
    const mine = generation;
    item.actionError = undefined;
    const result = await api.urql.mutation(ChatRegenerateMutation, { turnId: item.turn.id }).toPromise();
    if (mine !== generation) return;
    if (result.data) add(result.data.regenerate, true);
    else item.actionError = firstError(result.error);
  }

  async function rate(item: ChatTurn, rating: Rating, comment: string): Promise<void> {
    item.actionError = undefined;
    const result = await api.urql.mutation(ChatRateTurnMutation, { turnId: item.turn.id, rating, comment: comment.trim() || null }).toPromise();
    if (result.data) item.turn = { ...item.turn, feedback: result.data.rateTurn.feedback };
    else item.actionError = firstError(result.error);
  }

  /** Follows again an answer whose stream failed, from what it has. */
  function resume(item: ChatTurn): void {
    const live = item.live?.state;
    follow(item, live && !live.done ? { text: live.text, lastSeq: live.lastSeq } : undefined);
  }

  return { conversationId, knowledgeBaseId, title, turns, loading, error, streamingTurn, open, ask, stop, regenerate, rate, resume };
}
