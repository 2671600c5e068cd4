/**
 * The saga's retrieval step: the knowledge base's best chunks for the question, through the chunk search port.
 * RetrievalCompleted keeps their ids, document revisions, scores and texts: the answer can be audited and
 * reproduced later, and a turn resumed after a crash generates from exactly what was retrieved.
 * The search is a read that costs nothing, so it starts early (prefetch: while a question asked in this process is
 * being recorded, else when the saga starts reserving) and is only recorded once the hold is in place: its latency
 * is off the path to the first token.
 */
import type { ChunkSearchHit, ChunkSearchPort } from '../../contracts/chunk-search.ts';
import { traced } from '../traced.ts';
import type { TurnInput } from './inputs.ts';
import type { TurnStartedData } from './state.ts';

export interface RetrievalStepDeps {
  search: ChunkSearchPort;
  /** Chunks given to the generator at most. */
  retrievalK: number;
  now: () => Date;
}

const PREFETCHED = 1000;

export function retrieval(deps: RetrievalStepDeps) {
  const prefetched = new Map<string, Promise<ChunkSearchHit[]>>();

  const search = (turn: TurnStartedData, traceparent: string | undefined, signal?: AbortSignal) =>
    traced('retrieval', traceparent, { 'knowledge_base.id': turn.knowledgeBaseId, 'retrieval.k': deps.retrievalK }, async (span) => {
      const hits = await deps.search.search({ knowledgeBaseId: turn.knowledgeBaseId, userId: turn.userId, query: turn.question, k: deps.retrievalK, signal });
      span.setAttribute('retrieval.hits', hits.length);
      return hits;
    });

  return {
    /**
     * Starts the turn's search now, unless it already started; its result waits for `retrieve` (forgotten if it
     * never comes, oldest first).
     */
    prefetch(turn: TurnStartedData, traceparent?: string): void {
      if (prefetched.has(turn.turnId)) return;
      const hits = search(turn, traceparent);
      hits.catch(() => undefined); // a failed prefetch is searched again by retrieve
      prefetched.set(turn.turnId, hits);
      if (prefetched.size > PREFETCHED) prefetched.delete(prefetched.keys().next().value!);
    },

    async retrieve(turn: TurnStartedData, signal: AbortSignal, traceparent?: string): Promise<TurnInput> {
      const early = prefetched.get(turn.turnId);
      prefetched.delete(turn.turnId);
      const hits = (early && (await early.catch(() => undefined))) || (await search(turn, traceparent, signal));
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
    },
  };
}
