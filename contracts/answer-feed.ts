/**
 * The answer feed port: where the saga publishes a turn's answer token by token. Deltas are not events (too many);
 * the final answer, usage and citations are, so a reader who missed the feed replays them from the log.
 * Implemented by the streaming layer (in process by default, Redis pub/sub with REDIS_URL), injected by the root.
 */
import type { Citation, TurnStatus } from './turns.ts';

/** What a subscriber receives (GraphQL AnswerChunk). */
export interface AnswerChunk {
  turnId: string;
  /** 1, 2, 3… per turn with no gap; the done chunk is the last. */
  seq: number;
  delta: string;
  done: boolean;
  /** On the done chunk: the turn's final status and citations. */
  status?: TurnStatus;
  citations?: Citation[];
}

/**
 * One publisher per turn at a time (the saga instance driving it). Publishing must not wait on subscribers: a slow
 * client never slows generation. Adapters keep each turn's chunks in order.
 */
export interface AnswerFeed {
  /** Publishes the chunk; `seq` is the publisher's (see AnswerChunk). */
  publish(chunk: AnswerChunk): void;
  /**
   * The last seq published for a turn (0 when none): a saga instance that takes over a turn after a crash numbers
   * the done chunk after what its predecessor published.
   */
  lastSeq(turnId: string): Promise<number>;
}
