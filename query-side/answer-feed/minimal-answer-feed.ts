/**
 * A minimal in-process answer feed (contracts/answer-feed.ts), so that the saga has somewhere to publish while the
 * streaming layer (a buffer for resume by seq, coalescing, bounded subscriber queues, Redis across processes) is
 * not wired yet; that layer replaces this file. Chunks reach the listeners of this process at once and are not
 * kept: the final answer, usage and citations are events, so nothing is lost to a reader who comes later. Memory
 * is one number per turn still being answered.
 */
import type { AnswerChunk, AnswerFeed } from '../../contracts/answer-feed.ts';

export interface MinimalAnswerFeed extends AnswerFeed {
  /** Calls `listener` with every chunk published for the turn from now on; returns the unsubscribe. */
  listen(turnId: string, listener: (chunk: AnswerChunk) => void): () => void;
}

export function minimalAnswerFeed(): MinimalAnswerFeed {
  const lastSeqs = new Map<string, number>();
  const listeners = new Map<string, Set<(chunk: AnswerChunk) => void>>();
  return {
    publish(chunk) {
      // The done chunk is the last: the turn needs no number any more.
      if (chunk.done) lastSeqs.delete(chunk.turnId);
      else lastSeqs.set(chunk.turnId, chunk.seq);
      for (const listener of listeners.get(chunk.turnId) ?? []) listener(chunk);
    },
    lastSeq: async (turnId) => lastSeqs.get(turnId) ?? 0,
    listen(turnId, listener) {
      const set = listeners.get(turnId) ?? new Set();
      listeners.set(turnId, set.add(listener));
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(turnId);
      };
    },
  };
}
