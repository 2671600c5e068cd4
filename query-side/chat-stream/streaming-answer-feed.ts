/**
 * The answer feed as the streaming layer implements it: the saga's publishing port (contracts/answer-feed.ts) plus
 * what a subscription reads, namely a turn's buffered chunks and its live ones. Two adapters: in process (the
 * default) and Redis (REDIS_URL, shared by every instance).
 */
import type { AnswerChunk, AnswerFeed } from '../../contracts/answer-feed.ts';

export interface TurnChunkSource {
  /**
   * Delivers the turn's chunks published from now on, in publishing order, batch by batch. Resolves once nothing
   * published afterwards can be missed (Redis: the channel subscription is confirmed), so a read that follows sees
   * everything published before. Returns the function that stops delivery.
   */
  listen(turnId: string, onChunks: (chunks: readonly AnswerChunk[]) => void): Promise<() => void>;
  /** The buffered chunks with seq > afterSeq, in seq order; [] once the turn's buffer expired. */
  read(turnId: string, afterSeq: number): Promise<AnswerChunk[]>;
}

export interface StreamingAnswerFeed extends AnswerFeed, TurnChunkSource {
  /** Sends what is still queued for publishing, then lets go of connections. */
  close(): Promise<void>;
}

export interface AnswerBufferOptions {
  /** How long a turn's chunks stay readable after its last one. Default 10 minutes. */
  retainMs?: number;
}

export const DEFAULT_RETAIN_MS = 10 * 60_000;
