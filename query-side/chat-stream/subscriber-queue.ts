/**
 * One subscriber's outbox, read by mercurius as the subscription's async iterator. mercurius takes the next chunk
 * once the previous message was written to the socket, so chunks wait here while this client is behind, and, when
 * the process is busy, until the pacer lets this subscriber send again. Waiting deltas are merged into one chunk
 * that carries the last seq of the range it covers: an idle subscriber gets every delta at once, a busy one fewer,
 * larger messages, and the queue never holds more than one merged delta and the done chunk. The merged text is bounded: a client that does not read is ended with
 * SLOW_CONSUMER (it may resume with afterSeq) instead of holding an ever longer answer in memory. A replay (what a
 * resuming client missed, at most one answer) raises the bound by its own size, so resuming never trips it.
 * The done chunk stays a message of its own, with an empty delta, as clients of the contract expect.
 */
import { GraphQLError } from 'graphql';
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import type { DeliveryPacer } from './delivery-pacer.ts';

export interface SubscriberQueueOptions {
  /** Characters of merged delta a subscriber may have waiting before it is ended. */
  maxPendingChars: number;
  /** Spaces this subscriber's messages while the process is busy (delivery-pacer.ts); none: at once. */
  pacer?: DeliveryPacer;
  /**
   * The client's own floor on the time between its messages (answerStream's minIntervalMs): a page that draws at
   * most every 25 ms gains nothing from more messages, and each costs it (and us) work. 0: none.
   */
  minIntervalMs?: number;
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
  /** When the last message was handed over (performance.now()), and the wake-up for the next one while paced. */
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
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
    else this.pump();
  }

  /** No more chunks: the consumer gets what is queued, then the end. */
  end(): void {
    this.ending = true;
    this.pump();
  }

  /** Ends with an error at the consumer's next read; what is queued is dropped. */
  fail(error: unknown): void {
    if (this.closed) return;
    this.clear();
    this.failure = error;
    this.ending = true;
    this.close();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.reject(error);
  }

  next(): Promise<IteratorResult<AnswerChunk>> {
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    const taken = new Promise<IteratorResult<AnswerChunk>>((resolve, reject) => (this.waiter = { resolve, reject }));
    this.pump();
    return taken;
  }

  /** The consumer went away (client stopped, disconnected): only this subscription ends, never the turn. */
  return(): Promise<IteratorResult<AnswerChunk>> {
    this.clear();
    this.ending = true;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<AnswerChunk> {
    return this;
  }

  /** Hands the waiting consumer the next chunk, now or once the pacer allows (the done chunk never waits). */
  private pump(): void {
    if (!this.waiter || this.timer) return;
    const head = this.queued[0];
    if (!head) {
      if (this.ending || this.closed) this.finish();
      return;
    }
    const interval = Math.max(this.options.pacer?.interval() ?? 0, this.options.minIntervalMs ?? 0);
    // The end flushes: the answer's last words and the done chunk go out without waiting.
    const wait = head.done || this.queued.at(-1)?.done ? 0 : this.lastSentAt + interval - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      return;
    }
    this.queued.shift();
    this.pendingChars -= head.delta.length;
    this.replayCredit = Math.max(0, this.replayCredit - head.delta.length);
    this.lastSentAt = performance.now();
    this.options.pacer?.sent(this);
    this.stats.messages++;
    const waiter = this.waiter;
    this.waiter = undefined;
    if (this.ending && this.queued.length === 0) this.close();
    waiter.resolve({ value: head, done: false });
  }

  private clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queued.length = 0;
    this.pendingChars = 0;
    this.replayCredit = 0;
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
