/**
 * API keys: the list (prefix only), creating one (its secret comes back this once and is kept only in the page's
 * memory until the user leaves it) and revoking one, of the chosen scope: the user's personal keys, or the keys of
 * a workspace where they are OWNER (the only ones who manage its keys). The knowledge bases a key may be narrowed
 * to: any the user sees for a personal key, the workspace's for a workspace key.
 */
import { useQuery } from '@urql/vue';
import { computed, ref } from 'vue';
import { firstError, type UiError } from '../graphql/errors';
import { graphql } from '../graphql/generated';
import { MICROS_PER_CREDIT } from '../format';
import { useAppContext } from './app-context';

export const ApiKeyFieldsFragment = graphql(`
  fragment ApiKeyFields on ApiKey {
    id
    name
    prefix
    workspaceId
    knowledgeBaseIds
    creditsPerDay
    requestsPerMinute
    createdAt
    revokedAt
  }
`);

export const ApiKeysQuery = graphql(`
  query ApiKeys($workspaceId: ID) {
    apiKeys(workspaceId: $workspaceId) { ...ApiKeyFields }
  }
`);

/** The workspaces whose keys the user may manage (myRole OWNER) and the knowledge bases keys may be narrowed to. */
export const ApiKeyScopesQuery = graphql(`
  query ApiKeyScopes {
    workspaces { id name myRole }
    knowledgeBases { id name workspaceId }
  }
`);

export const CreateApiKeyMutation = graphql(`
  mutation CreateApiKey($name: String!, $workspaceId: ID, $knowledgeBaseIds: [ID!], $creditsPerDay: Micros, $requestsPerMinute: Int) {
    createApiKey(
      name: $name
      workspaceId: $workspaceId
      knowledgeBaseIds: $knowledgeBaseIds
      creditsPerDay: $creditsPerDay
      requestsPerMinute: $requestsPerMinute
    ) {
      key
      apiKey { ...ApiKeyFields }
    }
  }
`);

export const RevokeApiKeyMutation = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { ...ApiKeyFields }
  }
`);

/** The form's fields as typed: credits per day in credits (the wallet shows credits), empty = no limit. */
export interface NewApiKeyForm {
  name: string;
  knowledgeBaseIds: string[];
  creditsPerDay: string;
  requestsPerMinute: string;
}

/** The mutation's variables from the form; an error key (apiKeys.create.*) when a limit is not a positive number. */
export function apiKeyVariables(form: NewApiKeyForm):
  | { variables: { name: string; knowledgeBaseIds: string[]; creditsPerDay: number | null; requestsPerMinute: number | null } }
  | { invalid: 'nameRequired' | 'badCredits' | 'badRate' } {
  const name = form.name.trim();
  if (!name) return { invalid: 'nameRequired' };
  const credits = form.creditsPerDay.trim();
  const creditsPerDay = credits === '' ? null : Math.round(Number(credits) * MICROS_PER_CREDIT);
  if (creditsPerDay !== null && !(Number.isSafeInteger(creditsPerDay) && creditsPerDay > 0)) return { invalid: 'badCredits' };
  const rate = form.requestsPerMinute.trim();
  const requestsPerMinute = rate === '' ? null : Number(rate);
  if (requestsPerMinute !== null && !(Number.isInteger(requestsPerMinute) && requestsPerMinute > 0)) return { invalid: 'badRate' };
  return { variables: { name, knowledgeBaseIds: form.knowledgeBaseIds, creditsPerDay, requestsPerMinute } };
}

export function useApiKeys() {
  const { api } = useAppContext();
  /** Whose keys are shown and created: null = the user's personal keys, else a workspace's id. */
  const workspaceId = ref<string | null>(null);
  const list = useQuery({ query: ApiKeysQuery, variables: computed(() => ({ workspaceId: workspaceId.value })), requestPolicy: 'cache-and-network' });
  const scopes = useQuery({ query: ApiKeyScopesQuery, requestPolicy: 'cache-and-network' });
  const reload = () => list.executeQuery({ requestPolicy: 'network-only' });
  const allKnowledgeBases = computed(() => scopes.data.value?.knowledgeBases ?? []);

  return {
    workspaceId,
    /** The workspaces the user is OWNER of: the scopes besides their personal keys. */
    workspaces: computed(() => (scopes.data.value?.workspaces ?? []).filter((workspace) => workspace.myRole === 'OWNER')),
    apiKeys: computed(() => list.data.value?.apiKeys ?? []),
    /** Every knowledge base the user sees (to name those of a key's list). */
    allKnowledgeBases,
    /** Those a key of the chosen scope may be narrowed to. */
    knowledgeBases: computed(() =>
      workspaceId.value === null ? allKnowledgeBases.value : allKnowledgeBases.value.filter((kb) => kb.workspaceId === workspaceId.value),
    ),
    loading: computed(() => list.fetching.value && !list.data.value),
    error: computed(() => firstError(list.error.value)),
    /** The new key's secret (shown once), or the error to show. */
    async create(variables: Extract<ReturnType<typeof apiKeyVariables>, { variables: unknown }>['variables']): Promise<{ secret: string } | { error: UiError }> {
      const result = await api.urql.mutation(CreateApiKeyMutation, { ...variables, workspaceId: workspaceId.value }).toPromise();
      if (!result.data) return { error: firstError(result.error) ?? { code: 'INTERNAL', message: 'no answer' } };
      await reload();
      return { secret: result.data.createApiKey.key };
    },
    async revoke(id: string): Promise<UiError | undefined> {
      const result = await api.urql.mutation(RevokeApiKeyMutation, { id }).toPromise();
      if (!result.data) return firstError(result.error) ?? { code: 'INTERNAL', message: 'no answer' };
      await reload();
      return undefined;
    },
  };
}
