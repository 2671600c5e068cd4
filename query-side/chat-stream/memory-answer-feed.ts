/**
 * The in-process answer feed (the default, and ROLE=all without REDIS_URL): the saga and the subscriptions share a
 * process, so a chunk goes to the turn's buffer and straight to its listeners. Publishing never waits on them:
 * a listener only queues the chunk (subscriber-queue.ts).
 */
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import { MemoryTurnBuffer } from './memory-turn-buffer.ts';
import { DEFAULT_RETAIN_MS, type AnswerBufferOptions, type StreamingAnswerFeed } from './streaming-answer-feed.ts';

export interface MemoryAnswerFeedOptions extends AnswerBufferOptions {
  /** Delta characters buffered over all turns. Default 32 Mi (about 64 MiB). */
  maxBufferedChars?: number;
  now?: () => number;
}

type Listener = (chunks: readonly AnswerChunk[]) => void;

export interface MemoryAnswerFeed extends StreamingAnswerFeed {
  readonly buffer: MemoryTurnBuffer;
  /** Turns with readers listening here (tests: a reader that left is forgotten). */
  readonly listening: number;
}

export function createMemoryAnswerFeed(options: MemoryAnswerFeedOptions = {}): MemoryAnswerFeed {
  const buffer = new MemoryTurnBuffer({
    retainMs: options.retainMs ?? DEFAULT_RETAIN_MS,
    maxChars: options.maxBufferedChars ?? 32 * 1024 * 1024,
    ...(options.now && { now: options.now }),
  });
  const listeners = new Map<string, Set<Listener>>();
  return {
    buffer,
    get listening() {
      return listeners.size;
    },
    publish(chunk) {
      if (!buffer.append(chunk)) return;
      const batch = [chunk];
      for (const listener of listeners.get(chunk.turnId) ?? []) listener(batch);
    },
    lastSeq: async (turnId) => buffer.lastSeq(turnId),
    async listen(turnId, onChunks) {
      let set = listeners.get(turnId);
      if (!set) listeners.set(turnId, (set = new Set()));
      // A function of its own per call, so one reader listening twice is removed once per call.
      const listener: Listener = (chunks) => onChunks(chunks);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(turnId) === set) listeners.delete(turnId);
      };
    },
    read: async (turnId, afterSeq) => buffer.read(turnId, afterSeq),
    close: async () => listeners.clear(),
  };
}
