/** The answer feed the configuration asks for: Redis with REDIS_URL (shared by every process), else in process. */
import { createMemoryAnswerFeed } from './memory-answer-feed.ts';
import { createRedisAnswerFeed } from './redis-answer-feed.ts';
import type { AnswerBufferOptions, StreamingAnswerFeed } from './streaming-answer-feed.ts';

export interface AnswerFeedOptions extends AnswerBufferOptions {
  redisUrl?: string | undefined;
  /** Redis key and channel prefix (tests isolate runs with it). */
  redisPrefix?: string;
  onError?: (error: unknown) => void;
}

export function createAnswerFeed(options: AnswerFeedOptions = {}): StreamingAnswerFeed {
  const { redisUrl, redisPrefix, ...buffer } = options;
  if (!redisUrl) return createMemoryAnswerFeed(buffer);
  return createRedisAnswerFeed({ url: redisUrl, ...(redisPrefix && { prefix: redisPrefix }), ...buffer });
}
