/**
 * The search behind the chunk search port (contracts/chunk-search.ts) the billing saga retrieves with: the very
 * search Query.search serves (hybrid, then the rerank stage when one is configured). The command side may not import
 * the query side, so the composition root hands the saga this adapter. The turn commands checked the asker's right
 * to the knowledge base already; this only ranks. A question longer than the search takes is cut rather than
 * refused: its first part still finds the passages, and a turn must not fail on it.
 */
import type { ChunkSearchPort } from '../../contracts/chunk-search.ts';
import { MAX_QUERY_CHARS, MAX_SEARCH_LIMIT, type ChunkSearch } from './search.ts';

export function chunkSearchPort(search: ChunkSearch): ChunkSearchPort {
  return {
    async search({ knowledgeBaseId, query, k, signal }) {
      const limit = Math.min(Math.max(1, k), MAX_SEARCH_LIMIT);
      const hits = await search(knowledgeBaseId, query.slice(0, MAX_QUERY_CHARS), limit, { signal });
      return hits.map((hit) => ({
        chunkId: hit.chunkId,
        documentId: hit.documentId,
        revision: hit.revision,
        score: hit.score,
        text: hit.text,
        title: hit.documentName,
        headingPath: hit.headingPath,
      }));
    },
  };
}
