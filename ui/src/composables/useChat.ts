/**
 * What the chat page lists around the conversation: the knowledge bases to ask (the picker), the user's
 * conversations, and the wallet (shown when a question was refused for want of credits).
 */
import { ref, shallowRef } from 'vue';
import { graphql } from '../graphql/generated';
import type { ChatConversationsQuery as ConversationsResult, ChatKnowledgeBasesQuery as KnowledgeBasesResult } from '../graphql/generated/graphql';
import { WalletFiguresQuery, type WalletFigures } from './useWallet';
import { firstError, type UiError } from '../graphql/errors';
import { useAppContext } from './app-context';

export const ChatKnowledgeBasesQuery = graphql(`
  query ChatKnowledgeBases {
    knowledgeBases { id name }
  }
`);

export const ChatConversationsQuery = graphql(`
  query ChatConversations {
    conversations { id title knowledgeBaseId createdAt }
  }
`);

export type ChatKnowledgeBase = KnowledgeBasesResult['knowledgeBases'][number];
export type ChatConversationSummary = ConversationsResult['conversations'][number];
export type ChatWallet = WalletFigures;

const newestFirst = (a: { createdAt: string }, b: { createdAt: string }) => b.createdAt.localeCompare(a.createdAt);

export function useChatLists() {
  const { api } = useAppContext();
  const knowledgeBases = shallowRef<ChatKnowledgeBase[]>([]);
  const conversations = shallowRef<ChatConversationSummary[]>([]);
  const loading = ref(false);
  const error = ref<UiError>();

  async function loadKnowledgeBases(): Promise<void> {
    const result = await api.urql.query(ChatKnowledgeBasesQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    if (result.data) knowledgeBases.value = result.data.knowledgeBases;
    error.value = firstError(result.error) ?? error.value;
  }

  async function loadConversations(): Promise<void> {
    const result = await api.urql.query(ChatConversationsQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    if (result.data) conversations.value = [...result.data.conversations].sort(newestFirst);
    error.value = firstError(result.error) ?? error.value;
  }

  async function load(): Promise<void> {
    loading.value = true;
    error.value = undefined;
    try {
      await Promise.all([loadKnowledgeBases(), loadConversations()]);
    } finally {
      loading.value = false;
    }
  }

  return { knowledgeBases, conversations, loading, error, load, loadConversations };
}

/** The caller's wallet now (not cached: it is shown to explain a refusal). */
export function useChatWallet() {
  const { api } = useAppContext();
  const wallet = shallowRef<ChatWallet>();
  const error = ref<UiError>();
  async function load(): Promise<void> {
    const result = await api.urql.query(WalletFiguresQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    wallet.value = result.data?.wallet ?? wallet.value;
    error.value = firstError(result.error);
  }
  return { wallet, error, load };
}
