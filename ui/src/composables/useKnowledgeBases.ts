/**
 * The knowledge bases the user may see (own, their workspaces'; all for an admin) with their feedback counts and the
 * user's role on each, and creating one, personal or in a workspace.
 */
import { useQuery } from '@urql/vue';
import type { CombinedError } from '@urql/core';
import { computed } from 'vue';
import { firstError, type UiError } from '../graphql/errors';
import { graphql } from '../graphql/generated';
import { useAppContext } from './app-context';

/** What the list shows of a knowledge base, the same for the list and a newly created one. */
export const KbListItemFragment = graphql(`
  fragment KbListItem on KnowledgeBase {
    id
    name
    description
    documentCount
    feedbackUp
    feedbackDown
    createdAt
    workspaceId
    myRole
  }
`);

export const KbListQuery = graphql(`
  query KbList {
    knowledgeBases { ...KbListItem }
  }
`);

export const KbCreateMutation = graphql(`
  mutation KbCreate($name: String!, $description: String, $workspaceId: ID, $idempotencyKey: String) {
    createKnowledgeBase(name: $name, description: $description, workspaceId: $workspaceId, idempotencyKey: $idempotencyKey) {
      ...KbListItem
    }
  }
`);

/** A typed error with the quota details the server puts in extensions (which quota, its limit). */
export interface DetailedError extends UiError {
  quota?: string;
  limit?: number;
}

export function detailedError(error: CombinedError | undefined): DetailedError | undefined {
  const base = firstError(error);
  if (!base) return undefined;
  const extensions = error?.graphQLErrors[0]?.extensions ?? {};
  const detailed: DetailedError = { ...base };
  if (typeof extensions.quota === 'string') detailed.quota = extensions.quota;
  if (typeof extensions.limit === 'number') detailed.limit = extensions.limit;
  return detailed;
}

export interface KbCreateInput {
  name: string;
  description: string;
  /** Empty: the user's own. */
  workspaceId: string;
  idempotencyKey: string;
}

/** A new key for each knowledge base the user means to create. */
export const newKbCreateKey = (): string => `ui-kb-${crypto.randomUUID()}`;

export function useKnowledgeBases() {
  const { api } = useAppContext();
  const list = useQuery({ query: KbListQuery, requestPolicy: 'cache-and-network' });

  return {
    knowledgeBases: computed(() => list.data.value?.knowledgeBases ?? []),
    loading: computed(() => list.fetching.value && !list.data.value),
    error: computed(() => detailedError(list.error.value)),
    reload: () => list.executeQuery({ requestPolicy: 'network-only' }),
    /**
     * Creates it (in the workspace, or personal without one) and reloads the list; returns the error to show, or
     * undefined once created. `idempotencyKey`: one per intended knowledge base, so a retry creates it once.
     */
    async create(input: KbCreateInput): Promise<DetailedError | undefined> {
      const result = await api.urql
        .mutation(KbCreateMutation, {
          name: input.name.trim(),
          description: input.description.trim() || null,
          workspaceId: input.workspaceId || null,
          idempotencyKey: input.idempotencyKey,
        })
        .toPromise();
      if (!result.data) return detailedError(result.error) ?? { code: 'INTERNAL', message: 'no answer' };
      // The document cache cannot tell that an empty list now has a member: ask again.
      await list.executeQuery({ requestPolicy: 'network-only' });
      return undefined;
    },
  };
}
