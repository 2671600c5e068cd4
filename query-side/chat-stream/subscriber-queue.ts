/**
 * One subscriber's outbox, read by mercurius as the subscription's async iterator. mercurius takes the next chunk
 * only once the previous message was written to the socket, so chunks wait here exactly while this client (or the
 * server) is behind. Waiting deltas are merged into one chunk that carries the last seq of the range it covers:
 * an idle subscriber gets every delta at once, a busy one fewer, larger messages, and the queue never holds more
 * than one merged delta and the done chunk. The merged text is bounded: a client that does not read is ended with
 * SLOW_CONSUMER (it may resume with afterSeq) instead of holding an ever longer answer in memory. A replay (what a
 * resuming client missed, at most one answer) raises the bound by its own size, so resuming never trips it.
 * The done chunk stays a message of its own, with an empty delta, as clients of the contract expect.
 */
import { GraphQLError } from 'graphql';
import type { AnswerChunk } from '../../contracts/answer-feed.ts';

export interface SubscriberQueueOptions {
  /** Characters of merged delta a subscriber may have waiting before it is ended. */
  maxPendingChars: number;
  /** Called once when the queue ends for any reason (completed, failed, or the consumer went away). */
  onClose?: () => void;
}

export const slowConsumerError = (maxPendingChars: number) =>
  new GraphQLError(`subscriber too slow: more than ${maxPendingChars} characters of answer waiting; resubscribe with afterSeq`, {
    extensions: { code: 'SLOW_CONSUMER' },
  });

type Waiter = { resolve: (result: IteratorResult<AnswerChunk>) => void; reject: (error: unknown) => void };

export class SubscriberQueue implements AsyncIterableIterator<AnswerChunk> {
  private readonly queued: AnswerChunk[] = [];
  private pendingChars = 0;
  /** Replayed characters not yet taken by the consumer: allowed on top of maxPendingChars. */
  private replayCredit = 0;
  private waiter: Waiter | undefined;
  private ending = false;
  private failure: unknown;
  private closed = false;
  /** Messages handed to the consumer and deltas merged into them (metrics, tests). */
  readonly stats = { messages: 0, merged: 0 };

  constructor(private readonly options: SubscriberQueueOptions) {}

  /** Characters of delta waiting for the consumer. */
  get pending(): number {
    return this.pendingChars;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  push(chunk: AnswerChunk, replayed = false): void {
    if (this.closed || this.ending) return;
    if (this.waiter && this.queued.length === 0) return this.hand(chunk);
    if (replayed) this.replayCredit += chunk.delta.length;
    const last = this.queued.at(-1);
    if (last && !last.done && !chunk.done) {
      this.queued[this.queued.length - 1] = { turnId: last.turnId, seq: chunk.seq, delta: last.delta + chunk.delta, done: false };
      this.stats.merged++;
    } else {
      this.queued.push(chunk);
    }
    this.pendingChars += chunk.delta.length;
    if (this.pendingChars > this.options.maxPendingChars + this.replayCredit) this.fail(slowConsumerError(this.options.maxPendingChars));
  }

  /** No more chunks: the consumer gets what is queued, then the end. */
  end(): void {
    this.ending = true;
    if (this.waiter && this.queued.length === 0) this.finish();
  }

  /** Ends with an error at the consumer's next read; what is queued is dropped. */
  fail(error: unknown): void {
    if (this.closed) return;
    this.queued.length = 0;
    this.pendingChars = 0;
    this.replayCredit = 0;
    this.failure = error;
    this.ending = true;
    this.close();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(error);
  }

  next(): Promise<IteratorResult<AnswerChunk>> {
    const chunk = this.queued.shift();
    if (chunk) {
      this.pendingChars -= chunk.delta.length;
      this.replayCredit = Math.max(0, this.replayCredit - chunk.delta.length);
      this.stats.messages++;
      if (this.ending && this.queued.length === 0) this.close();
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.ending || this.closed) {
      this.close();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** The consumer went away (client stopped, disconnected): only this subscription ends, never the turn. */
  return(): Promise<IteratorResult<AnswerChunk>> {
    this.queued.length = 0;
    this.pendingChars = 0;
    this.ending = true;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<AnswerChunk> {
    return this;
  }

  private hand(chunk: AnswerChunk): void {
    const waiter = this.waiter!;
    this.waiter = undefined;
    this.stats.messages++;
    waiter.resolve({ value: chunk, done: false });
  }

  private finish(): void {
    this.close();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve({ value: undefined, done: true });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.onClose?.();
  }
}
