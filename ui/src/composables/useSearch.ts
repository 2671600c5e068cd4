/** Trying retrieval on a knowledge base: the passages an answer to a question would be drawn from, best first. */
import { ref } from 'vue';
import { graphql } from '../graphql/generated';
import type { KbSearchQuery as KbSearchResult } from '../graphql/generated/graphql';
import { useAppContext } from './app-context';
import { detailedError, type DetailedError } from './useKnowledgeBases';

export const KbSearchQuery = graphql(`
  query KbSearch($knowledgeBaseId: ID!, $query: String!, $limit: Int) {
    search(knowledgeBaseId: $knowledgeBaseId, query: $query, limit: $limit) {
      chunkId
      documentId
      documentName
      headingPath
      score
      text
    }
  }
`);

export type KbSearchHit = KbSearchResult['search'][number];

/** As many passages as an answer is likely to cite, and a few more to see what just missed. */
export const SEARCH_LIMIT = 10;

export function useSearch(knowledgeBaseId: () => string) {
  const { api } = useAppContext();
  const hits = ref<KbSearchHit[]>([]);
  const searched = ref<string>();
  const searching = ref(false);
  const error = ref<DetailedError>();
  let latest = 0;

  async function search(query: string): Promise<void> {
    const text = query.trim();
    if (!text) return;
    const mine = ++latest;
    searching.value = true;
    error.value = undefined;
    try {
      // network-only: documents change underneath, a cached answer would hide what retrieval finds now.
      const result = await api.urql
        .query(KbSearchQuery, { knowledgeBaseId: knowledgeBaseId(), query: text, limit: SEARCH_LIMIT }, { requestPolicy: 'network-only' })
        .toPromise();
      if (mine !== latest) return; // a newer search answers instead
      hits.value = result.data?.search ?? [];
      searched.value = text;
      error.value = detailedError(result.error);
    } finally {
      if (mine === latest) searching.value = false;
    }
  }

  return { hits, searched, searching, error, search };
}
