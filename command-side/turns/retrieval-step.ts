/**
 * The saga's retrieval step: the knowledge base's best chunks for the question, through the chunk search port.
 * RetrievalCompleted keeps their ids, document revisions, scores and texts: the answer can be audited and
 * reproduced later, and a turn resumed after a crash generates from exactly what was retrieved.
 */
import type { ChunkSearchPort } from '../../contracts/chunk-search.ts';
import type { TurnInput } from './inputs.ts';
import type { TurnStartedData } from './state.ts';

export interface RetrievalStepDeps {
  search: ChunkSearchPort;
  /** Chunks given to the generator at most. */
  retrievalK: number;
  now: () => Date;
}

export async function retrieveChunks(deps: RetrievalStepDeps, turn: TurnStartedData, signal: AbortSignal): Promise<TurnInput> {
  const { knowledgeBaseId, userId, question } = turn;
  const hits = await deps.search.search({ knowledgeBaseId, userId, query: question, k: deps.retrievalK, signal });
  const chunks = hits.slice(0, deps.retrievalK).map((hit, index) => ({
    n: index + 1,
    chunkId: hit.chunkId,
    documentId: hit.documentId,
    revision: hit.revision,
    documentName: hit.title,
    headingPath: hit.headingPath,
    score: hit.score,
    text: hit.text,
  }));
  return { type: 'Retrieved', chunks, at: deps.now().toISOString() };
}
