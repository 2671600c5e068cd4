/**
 * The user's API keys: the list (prefix only), creating one (its secret comes back this once and is kept only in
 * the page's memory until the user leaves it) and revoking one. The knowledge bases a key may be narrowed to are the
 * ones the user sees (KbList).
 */
import { useQuery } from '@urql/vue';
import { computed } from 'vue';
import { firstError, type UiError } from '../graphql/errors';
import { graphql } from '../graphql/generated';
import { MICROS_PER_CREDIT } from '../format';
import { KbListQuery } from './useKnowledgeBases';
import { useAppContext } from './app-context';

export const ApiKeyFieldsFragment = graphql(`
  fragment ApiKeyFields on ApiKey {
    id
    name
    prefix
    knowledgeBaseIds
    creditsPerDay
    requestsPerMinute
    createdAt
    revokedAt
  }
`);

export const ApiKeysQuery = graphql(`
  query ApiKeys {
    apiKeys { ...ApiKeyFields }
  }
`);

export const CreateApiKeyMutation = graphql(`
  mutation CreateApiKey($name: String!, $knowledgeBaseIds: [ID!], $creditsPerDay: Micros, $requestsPerMinute: Int) {
    createApiKey(name: $name, knowledgeBaseIds: $knowledgeBaseIds, creditsPerDay: $creditsPerDay, requestsPerMinute: $requestsPerMinute) {
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
  const list = useQuery({ query: ApiKeysQuery, requestPolicy: 'cache-and-network' });
  const knowledgeBases = useQuery({ query: KbListQuery, requestPolicy: 'cache-first' });
  const reload = () => list.executeQuery({ requestPolicy: 'network-only' });

  return {
    apiKeys: computed(() => list.data.value?.apiKeys ?? []),
    knowledgeBases: computed(() => knowledgeBases.data.value?.knowledgeBases ?? []),
    loading: computed(() => list.fetching.value && !list.data.value),
    error: computed(() => firstError(list.error.value)),
    /** The new key's secret (shown once), or the error to show. */
    async create(variables: Extract<ReturnType<typeof apiKeyVariables>, { variables: unknown }>['variables']): Promise<{ secret: string } | { error: UiError }> {
      const result = await api.urql.mutation(CreateApiKeyMutation, variables).toPromise();
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
