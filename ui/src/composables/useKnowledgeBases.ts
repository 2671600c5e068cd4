/** The knowledge bases the user may see (own; all for an admin), with their feedback counts, and creating one. */
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
  }
`);

export const KbListQuery = graphql(`
  query KbList {
    knowledgeBases { ...KbListItem }
  }
`);

export const KbCreateMutation = graphql(`
  mutation KbCreate($name: String!, $description: String) {
    createKnowledgeBase(name: $name, description: $description) { ...KbListItem }
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

export function useKnowledgeBases() {
  const { api } = useAppContext();
  const list = useQuery({ query: KbListQuery, requestPolicy: 'cache-and-network' });

  return {
    knowledgeBases: computed(() => list.data.value?.knowledgeBases ?? []),
    loading: computed(() => list.fetching.value && !list.data.value),
    error: computed(() => detailedError(list.error.value)),
    reload: () => list.executeQuery({ requestPolicy: 'network-only' }),
    /** Creates it and reloads the list; returns the error to show, or undefined once created. */
    async create(name: string, description: string): Promise<DetailedError | undefined> {
      const result = await api.urql
        .mutation(KbCreateMutation, { name: name.trim(), description: description.trim() || null })
        .toPromise();
      if (!result.data) return detailedError(result.error) ?? { code: 'INTERNAL', message: 'no answer' };
      // The document cache cannot tell that an empty list now has a member: ask again.
      await list.executeQuery({ requestPolicy: 'network-only' });
      return undefined;
    },
  };
}
