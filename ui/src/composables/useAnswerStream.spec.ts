import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createFrameBatch, followAnswer, MIN_UPDATE_GAP_MS, streamErrorOf, type AnswerChunk, type AnswerProgress, type AnswerSink, type Citation } from './useAnswerStream';

const CITATIONS: Citation[] = [{ n: 1, documentId: 'd1', documentName: 'guide.md', excerpt: 'Reset with the red button.' }];

interface FakeSubscription {
  afterSeq: number;
  sink: AnswerSink;
  /** The last seq this subscription was sent. */
  sent: number;
  /** Still served (the client has not left it, the connection under it has not closed, it has not ended). */
  open: boolean;
  left: boolean;
}

/**
 * The server as the client sees it: an answer published delta by delta (seq 1, 2, 3…), subscriptions that replay
 * what was published after their afterSeq and then get the rest, deltas merged into one chunk (the last seq of
 * the range) when asked to, and a connection that may close under them.
 */
class FakeAnswerServer {
  readonly subscriptions: FakeSubscription[] = [];
  private readonly closedListeners = new Set<() => void>();
  published = 0;
  ended = false;

  constructor(readonly deltas: string[]) {}

  get answer(): string {
    return this.deltas.join('');
  }

  get current(): FakeSubscription | undefined {
    return this.subscriptions.filter((s) => s.open).at(-1);
  }

  readonly subscribe = (afterSeq: number, sink: AnswerSink) => {
    const subscription: FakeSubscription = { afterSeq, sink, sent: afterSeq, open: true, left: false };
    this.subscriptions.push(subscription);
    return () => {
      subscription.open = false;
      subscription.left = true;
    };
  };

  readonly onConnectionClosed = (listener: () => void) => {
    this.closedListeners.add(listener);
    return () => void this.closedListeners.delete(listener);
  };

  publish(count = 1): this {
    this.published = Math.min(this.deltas.length, this.published + count);
    return this;
  }

  /** Publishes the rest and the end. */
  finish(): this {
    this.published = this.deltas.length;
    this.ended = true;
    return this;
  }

  /** Sends every open subscription what it has not had yet, `merge` deltas a chunk, then the end if there is one. */
  deliver(merge = 1): this {
    for (const subscription of this.subscriptions.filter((s) => s.open)) this.send(subscription, merge);
    return this;
  }

  send(subscription: FakeSubscription, merge = 1): void {
    while (subscription.open && subscription.sent < this.published) {
      const to = Math.min(this.published, subscription.sent + merge);
      subscription.sink.chunk(this.chunk(subscription.sent, to));
      subscription.sent = to;
    }
    if (subscription.open && this.ended && subscription.sent === this.deltas.length) {
      subscription.sink.chunk({ seq: this.deltas.length + 1, delta: '', done: true, status: 'completed', citations: CITATIONS });
      subscription.open = false;
      subscription.sink.complete();
    }
  }

  /** The chunk that covers the deltas after `from` up to `to` (seq `to`). */
  chunk(from: number, to: number): AnswerChunk {
    return { seq: to, delta: this.deltas.slice(from, to).join(''), done: false };
  }

  /** The socket closed: the server forgets its subscriptions, the client is told. */
  closeConnection(): this {
    for (const subscription of this.subscriptions) subscription.open = false;
    this.closedListeners.forEach((listener) => listener());
    return this;
  }

  get listening(): number {
    return this.closedListeners.size;
  }
}

function follow(server: FakeAnswerServer, from?: { text: string; lastSeq: number }) {
  const changes: AnswerProgress[] = [];
  const followed = followAnswer({
    subscribe: server.subscribe,
    onConnectionClosed: server.onConnectionClosed,
    onChange: (progress) => changes.push({ ...progress }),
    ...(from && { from }),
  });
  return { followed, changes, progress: followed.progress };
}

const words = (text: string) => text.match(/\S+\s*/g) ?? [];

describe('followAnswer', () => {
  it('keeps the deltas in seq order and the last seq', () => {
    const server = new FakeAnswerServer(['Hello', ', ', 'world']);
    const { progress, changes } = follow(server);
    expect(server.subscriptions.map((s) => s.afterSeq)).toEqual([0]);
    server.publish(2).deliver();
    expect(progress).toMatchObject({ text: 'Hello, ', lastSeq: 2, done: false });
    expect(changes.map((c) => c.text)).toEqual(['Hello', 'Hello, ']);
  });

  it('ignores chunks at or below the last seq (copies after a reconnect)', () => {
    const server = new FakeAnswerServer(['a', 'b', 'c', 'd']);
    const { progress, changes } = follow(server);
    server.publish(3).deliver();
    const sink = server.current!.sink;
    sink.chunk(server.chunk(1, 2));
    sink.chunk(server.chunk(0, 3));
    sink.chunk(server.chunk(2, 3));
    expect(progress).toMatchObject({ text: 'abc', lastSeq: 3 });
    expect(changes).toHaveLength(3);
    server.finish().deliver();
    expect(progress.text).toBe('abcd');
  });

  it('takes a chunk that covers several seqs whole: the server merges waiting deltas, it does not skip', () => {
    const server = new FakeAnswerServer(['one ', 'two ', 'three ', 'four ', 'five']);
    const { progress } = follow(server);
    server.publish(1).deliver();
    server.publish(3).deliver(3);
    expect(progress).toMatchObject({ text: 'one two three four ', lastSeq: 4 });
    // No resubscription: replaying after seq 1 would merge the same range again, and again.
    expect(server.subscriptions).toHaveLength(1);
    server.finish().deliver();
    expect(progress.text).toBe(server.answer);
  });

  it('resubscribes after the last seq when the connection closes mid-answer, losing and repeating nothing', () => {
    const server = new FakeAnswerServer(words('The quick brown fox jumps over the lazy dog.'));
    const { progress } = follow(server);
    server.publish(3).deliver();
    server.publish(2); // published while the connection is going down: never delivered on it
    const first = server.current!;
    server.closeConnection();

    expect(first.left).toBe(true);
    expect(server.subscriptions.map((s) => s.afterSeq)).toEqual([0, 3]);
    server.publish(1).deliver();
    expect(progress).toMatchObject({ text: 'The quick brown fox jumps over ', lastSeq: 6 });

    // graphql-ws retries the first subscription by itself, with its first afterSeq, and the server replays it
    // merged (seq 7 covering 1..7); then graphql-ws completes it. All ignored: the client had left it.
    server.publish(1);
    first.sink.chunk(server.chunk(0, 7));
    first.sink.complete();
    expect(progress.text).toBe('The quick brown fox jumps over ');
    server.finish().deliver();
    expect(progress).toMatchObject({ text: server.answer, done: true, status: 'completed' });
  });

  it('survives several closes in a row, each resuming from what it has', () => {
    const server = new FakeAnswerServer(words('one two three four five six seven'));
    const { progress } = follow(server);
    server.publish(2).deliver();
    server.closeConnection().closeConnection();
    server.publish(3).deliver(2);
    server.closeConnection();
    server.finish().deliver();
    expect(server.subscriptions.map((s) => s.afterSeq)).toEqual([0, 2, 2, 5]);
    expect(progress.text).toBe(server.answer);
  });

  it('on done sets the status and citations, leaves the stream and stops listening for closes', () => {
    const server = new FakeAnswerServer(['Press ', 'reset [1].']);
    const { progress, changes } = follow(server);
    expect(server.listening).toBe(1);
    server.finish().deliver();
    expect(progress).toMatchObject({ text: 'Press reset [1].', lastSeq: 3, done: true, status: 'completed', citations: CITATIONS, error: undefined });
    expect(changes.at(-1)?.done).toBe(true);
    expect(server.listening).toBe(0);
    server.closeConnection();
    expect(server.subscriptions).toHaveLength(1);
  });

  it('replays a turn that already ended whole, even when the source answers before subscribe returns', () => {
    const server = new FakeAnswerServer(words('An answer recorded a while ago.')).finish();
    const subscribe = (afterSeq: number, sink: AnswerSink) => {
      const leave = server.subscribe(afterSeq, sink);
      server.deliver(100);
      return leave;
    };
    const changes: AnswerProgress[] = [];
    const { progress } = followAnswer({ subscribe, onConnectionClosed: server.onConnectionClosed, onChange: (p) => changes.push({ ...p }) });
    expect(progress).toMatchObject({ text: server.answer, done: true, status: 'completed' });
    expect(changes.filter((c) => c.done)).toHaveLength(1);
    expect(server.listening).toBe(0);
  });

  it('goes on from what the caller already has', () => {
    const server = new FakeAnswerServer(['a', 'b', 'c']);
    const { progress } = follow(server, { text: 'ab', lastSeq: 2 });
    expect(server.subscriptions[0]?.afterSeq).toBe(2);
    server.finish().deliver();
    expect(progress.text).toBe('abc');
  });

  it('resumes after SLOW_CONSUMER from the last seq', () => {
    const server = new FakeAnswerServer(['a', 'b', 'c']);
    const { progress } = follow(server);
    server.publish(1).deliver();
    server.current!.sink.error([{ message: 'too slow', extensions: { code: 'SLOW_CONSUMER' } }]);
    expect(server.subscriptions.map((s) => s.afterSeq)).toEqual([0, 1]);
    server.finish().deliver();
    expect(progress).toMatchObject({ text: 'abc', done: true, error: undefined });
  });

  it('starts over when the chunks to resume from are no longer kept (REPLAY_EXPIRED)', () => {
    const server = new FakeAnswerServer(['a', 'b', 'c']);
    const { progress, changes } = follow(server);
    server.publish(2).deliver();
    server.closeConnection();
    server.current!.sink.error([{ message: 'gone', extensions: { code: 'CONFLICT', reason: 'REPLAY_EXPIRED' } }]);
    expect(changes.at(-1)).toMatchObject({ text: '', lastSeq: 0 });
    expect(server.subscriptions.map((s) => s.afterSeq)).toEqual([0, 2, 0]);
    server.finish().deliver();
    expect(progress.text).toBe('abc');
  });

  it('stops with the error on any other failure, and does not resubscribe on a later close', () => {
    const server = new FakeAnswerServer(['a']);
    const { progress } = follow(server);
    server.current!.sink.error([{ message: 'this turn belongs to someone else', extensions: { code: 'FORBIDDEN' } }]);
    expect(progress.error).toEqual({ code: 'FORBIDDEN', message: 'this turn belongs to someone else' });
    server.closeConnection();
    expect(server.subscriptions).toHaveLength(1);
  });

  it('resubscribes when the server completes before the end, a few times, then gives up', () => {
    const server = new FakeAnswerServer(['a', 'b']);
    const { progress } = follow(server);
    for (let i = 0; i < 3; i++) server.current!.sink.complete();
    expect(server.subscriptions).toHaveLength(4);
    expect(progress.error).toBeUndefined();
    server.current!.sink.complete();
    expect(progress.error?.code).toBe('STREAM_ENDED');
    expect(server.subscriptions.every((s) => !s.open)).toBe(true);
  });

  it('stop() leaves the stream and ignores anything after', () => {
    const server = new FakeAnswerServer(['a', 'b']);
    const { followed, progress, changes } = follow(server);
    const subscription = server.current!;
    followed.stop();
    expect(subscription.left).toBe(true);
    subscription.sink.chunk(server.chunk(0, 1));
    server.closeConnection();
    expect(progress.text).toBe('');
    expect(changes).toHaveLength(0);
    expect(server.subscriptions).toHaveLength(1);
  });

  it('property: any mix of merging, copies, stale chunks and closes gives exactly the answer', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('publish' as const), count: fc.integer({ min: 1, max: 5 }), merge: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('inFlight' as const), count: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('close' as const) }),
      fc.record({ kind: fc.constant('copy' as const), from: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('stale' as const) }),
    );
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 40 }), fc.array(step, { maxLength: 40 }), (deltas, steps) => {
        const server = new FakeAnswerServer(deltas);
        const { progress } = follow(server);
        for (const s of steps) {
          if (s.kind === 'publish') server.publish(s.count).deliver(s.merge);
          else if (s.kind === 'inFlight') server.publish(s.count); // published, not delivered yet
          else if (s.kind === 'close') server.closeConnection();
          else if (s.kind === 'copy') {
            // A range the current subscription already had, sent again.
            const sub = server.current;
            const to = sub ? Math.min(sub.sent, (s.from % (sub.sent + 1)) + s.length) : 0;
            if (sub && to > 0) sub.sink.chunk(server.chunk(Math.max(0, to - s.length), to));
          } else {
            // An older subscription's sink after the client left it (graphql-ws retrying it from the start).
            const old = server.subscriptions.find((sub) => sub.left);
            old?.sink.chunk(server.chunk(0, server.published));
            old?.sink.complete();
          }
        }
        server.finish().deliver(3);
        expect(progress).toMatchObject({ text: server.answer, done: true, error: undefined });
      }),
      { numRuns: 400 },
    );
  });
});

describe('streamErrorOf', () => {
  it('reads GraphQL errors, close events and plain errors', () => {
    expect(streamErrorOf([{ message: 'm', extensions: { code: 'CONFLICT', reason: 'REPLAY_EXPIRED' } }])).toEqual({ code: 'CONFLICT', message: 'm', reason: 'REPLAY_EXPIRED' });
    expect(streamErrorOf({ code: 4401, reason: 'Unauthorized' })).toEqual({ code: 'NETWORK', message: 'connection closed (4401) Unauthorized' });
    expect(streamErrorOf(new Error('boom'))).toEqual({ code: 'NETWORK', message: 'boom' });
  });
});

describe('createFrameBatch', () => {
  /** A display: callbacks asked for run at the next frame, every `frameMs`. */
  function display(frameMs: number) {
    let waiting: Array<(frameTime: number) => void> = [];
    let time = 0;
    return {
      schedule: (callback: (frameTime: number) => void) => waiting.push(callback),
      get waiting() {
        return waiting.length;
      },
      frame(): void {
        time += frameMs;
        const now = waiting;
        waiting = [];
        for (const callback of now) callback(time);
      },
      pause(ms: number): void {
        time += ms;
      },
    };
  }

  it('flushes in a frame however many requests, and at once on flushNow', () => {
    const screen = display(16.7);
    const flush = vi.fn();
    const batch = createFrameBatch(flush, screen.schedule);
    for (let i = 0; i < 500; i++) batch.request();
    expect(screen.waiting).toBe(1);
    expect(flush).not.toHaveBeenCalled();
    screen.frame();
    expect(flush).toHaveBeenCalledTimes(1);
    screen.pause(100);
    batch.request();
    batch.flushNow();
    expect(flush).toHaveBeenCalledTimes(2);
    screen.frame(); // the frame asked for before flushNow finds nothing left to do
    expect(flush).toHaveBeenCalledTimes(2);
    batch.request();
    batch.cancel();
    screen.frame();
    expect(flush).toHaveBeenCalledTimes(2);
  });

  it('serves the first request after a pause in the next frame, then at most every MIN_UPDATE_GAP_MS', () => {
    const screen = display(16.7);
    const flush = vi.fn();
    const batch = createFrameBatch(flush, screen.schedule);
    batch.request();
    screen.frame();
    expect(flush).toHaveBeenCalledTimes(1);
    batch.request();
    screen.frame(); // 16.7 ms after the last: too soon
    expect(flush).toHaveBeenCalledTimes(1);
    screen.frame();
    expect(flush).toHaveBeenCalledTimes(2);
    screen.pause(200);
    batch.request();
    screen.frame();
    expect(flush).toHaveBeenCalledTimes(3);
  });

  it.each([
    [16.7, 30],
    [8.3, 30],
    [33.3, 30],
  ])('with tokens in every frame at %s ms a frame, updates ~%s times a second, never closer than the gap', (frameMs, perSecond) => {
    const screen = display(frameMs);
    const flushedAt: number[] = [];
    let time = 0;
    const batch = createFrameBatch(() => flushedAt.push(time), (callback) => screen.schedule((t) => callback((time = t))));
    const frames = Math.round(1000 / frameMs);
    for (let i = 0; i < frames; i++) {
      batch.request();
      screen.frame();
    }
    expect(flushedAt.length).toBeGreaterThanOrEqual(perSecond - 1);
    expect(flushedAt.length).toBeLessThanOrEqual(Math.ceil(1000 / MIN_UPDATE_GAP_MS));
    for (let i = 1; i < flushedAt.length; i++) expect(flushedAt[i]! - flushedAt[i - 1]!).toBeGreaterThanOrEqual(MIN_UPDATE_GAP_MS);
  });
});
