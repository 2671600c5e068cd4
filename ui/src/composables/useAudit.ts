/**
 * The audit page's data: a stream's events page by page (oldest first, by log position), a wallet replayed to any
 * of its events (walletAt), and the caller's conversations, knowledge bases and documents to pick a stream from.
 */
import { useQuery } from '@urql/vue';
import { computed, ref, watch, type Ref } from 'vue';
import { firstError, type UiError } from '../graphql/errors';
import { graphql } from '../graphql/generated';
import type { AuditTrailPageQuery as AuditTrailPageResult } from '../graphql/generated/graphql';
import { useAppContext } from './app-context';
import type { WalletFigures } from './useWallet';

export const AuditTrailPageQuery = graphql(`
  query AuditTrailPage($stream: String!, $after: String, $limit: Int) {
    auditTrail(stream: $stream, after: $after, limit: $limit) { position stream revision type at data metadata }
  }
`);

export const AuditWalletAtQuery = graphql(`
  query AuditWalletAt($userId: ID!, $position: String) {
    walletAt(userId: $userId, position: $position) { userId balance reserved available }
  }
`);

export const AuditConversationsQuery = graphql(`
  query AuditConversations {
    conversations { id title createdAt }
  }
`);

export const AuditKnowledgeBasesQuery = graphql(`
  query AuditKnowledgeBases {
    knowledgeBases { id name }
  }
`);

export const AuditDocumentsQuery = graphql(`
  query AuditDocuments($knowledgeBaseId: ID!) {
    documents(knowledgeBaseId: $knowledgeBaseId) { id name }
  }
`);

export type AuditEvent = AuditTrailPageResult['auditTrail'][number];

export const AUDIT_PAGE_SIZE = 50;

/** The events of `stream` (none while it is undefined); starts over whenever the stream changes. */
export function useAuditTrail(stream: Readonly<Ref<string | undefined>>) {
  const { api } = useAppContext();
  const events = ref<AuditEvent[]>([]);
  const hasMore = ref(false);
  const loading = ref(false);
  const error = ref<UiError>();
  // Bumped by every fresh start, so a page that arrives for a stream no longer shown is dropped.
  let generation = 0;

  async function readNextPage(): Promise<void> {
    const name = stream.value;
    if (!name || loading.value) return;
    const started = generation;
    loading.value = true;
    const after = events.value.at(-1)?.position ?? null;
    const result = await api.urql
      .query(AuditTrailPageQuery, { stream: name, after, limit: AUDIT_PAGE_SIZE }, { requestPolicy: 'network-only' })
      .toPromise();
    if (started !== generation) return;
    loading.value = false;
    error.value = firstError(result.error);
    const page = result.data?.auditTrail;
    if (!page) return;
    events.value = [...events.value, ...page];
    hasMore.value = page.length === AUDIT_PAGE_SIZE;
  }

  function reload(): Promise<void> {
    generation++;
    events.value = [];
    hasMore.value = false;
    loading.value = false;
    error.value = undefined;
    return readNextPage();
  }

  watch(stream, () => void reload(), { immediate: true });
  return { events, hasMore, loading, error, readNextPage, reload };
}

/** A wallet as it stood right after one of its events: the log folded up to that position. */
export function useWalletAt() {
  const { api } = useAppContext();
  const shown = ref<{ position: string; figures?: WalletFigures; error?: UiError }>();
  const loading = ref(false);

  async function show(userId: string, position: string): Promise<void> {
    shown.value = { position };
    loading.value = true;
    const result = await api.urql.query(AuditWalletAtQuery, { userId, position }, { requestPolicy: 'network-only' }).toPromise();
    // Another event may have been picked meanwhile: only the latest pick is shown.
    if (shown.value?.position !== position) return;
    loading.value = false;
    shown.value = { position, figures: result.data?.walletAt, error: firstError(result.error) };
  }

  return { shown, loading, show, clear: () => (shown.value = undefined) };
}

/** What the caller can pick a stream from; each list is read only once its kind is being picked. */
export function useAuditPickers(kind: Readonly<Ref<string>>, knowledgeBaseId: Readonly<Ref<string>>) {
  const conversations = useQuery({ query: AuditConversationsQuery, pause: computed(() => kind.value !== 'conversation') });
  const knowledgeBases = useQuery({ query: AuditKnowledgeBasesQuery, pause: computed(() => kind.value !== 'document') });
  const documents = useQuery({
    query: AuditDocumentsQuery,
    variables: computed(() => ({ knowledgeBaseId: knowledgeBaseId.value })),
    pause: computed(() => kind.value !== 'document' || !knowledgeBaseId.value),
  });
  return {
    conversations: computed(() => conversations.data.value?.conversations ?? []),
    knowledgeBases: computed(() => knowledgeBases.data.value?.knowledgeBases ?? []),
    documents: computed(() => (knowledgeBaseId.value ? (documents.data.value?.documents ?? []) : [])),
    error: computed(() => firstError(conversations.error.value ?? knowledgeBases.error.value ?? documents.error.value)),
  };
}
