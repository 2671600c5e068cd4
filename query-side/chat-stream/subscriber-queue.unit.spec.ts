import { describe, expect, it } from 'vitest';
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import { SubscriberQueue } from './subscriber-queue.ts';

const delta = (seq: number, text = `w${seq} `): AnswerChunk => ({ turnId: 't', seq, delta: text, done: false });
const done = (seq: number): AnswerChunk => ({ turnId: 't', seq, delta: '', done: true, status: 'completed', citations: [] });

async function drain(queue: SubscriberQueue): Promise<AnswerChunk[]> {
  const out: AnswerChunk[] = [];
  for await (const chunk of queue) out.push(chunk);
  return out;
}

describe('SubscriberQueue: adaptive coalescing and a bounded backlog', () => {
  it('hands a waiting reader each chunk as it comes (an idle subscriber gets every delta at once)', async () => {
    const queue = new SubscriberQueue({ maxPendingChars: 1000 });
    const first = queue.next();
    queue.push(delta(1));
    expect((await first).value).toEqual(delta(1));
    const second = queue.next();
    queue.push(delta(2));
    expect((await second).value).toEqual(delta(2));
    expect(queue.stats).toEqual({ messages: 2, merged: 0 });
  });

  it('merges what waits while the reader is busy into one chunk with the last seq; done stays its own message', async () => {
    const queue = new SubscriberQueue({ maxPendingChars: 1000 });
    for (let seq = 1; seq <= 5; seq++) queue.push(delta(seq));
    queue.push(done(6));
    queue.end();
    const out = await drain(queue);
    expect(out).toEqual([{ turnId: 't', seq: 5, delta: 'w1 w2 w3 w4 w5 ', done: false }, done(6)]);
    expect(queue.stats).toEqual({ messages: 2, merged: 4 });
  });

  it('with minIntervalMs: the first delta at once, then at most one message per interval; the end is not held', async () => {
    const queue = new SubscriberQueue({ maxPendingChars: 1_000_000, minIntervalMs: 40 });
    const started = performance.now();
    const reading = (async () => {
      const out: Array<{ chunk: AnswerChunk; at: number }> = [];
      for await (const chunk of queue) out.push({ chunk, at: performance.now() - started });
      return out;
    })();
    for (let seq = 1; seq <= 30; seq++) {
      queue.push(delta(seq));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    queue.push(done(31));
    queue.end();
    const out = await reading;
    expect(out[0]!.chunk).toEqual(delta(1));
    expect(out[0]!.at).toBeLessThan(20);
    // Between the first and the end (which flushes the last words with the done chunk), one message per interval.
    const gaps = out.slice(1, -2).map((message, i) => message.at - out[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(39); // timers never fire early (minus rounding)
    expect(out.at(-1)!.at - out.at(-2)!.at).toBeLessThan(20);
    expect(out.length).toBeLessThan(12); // ~150 ms of deltas 5 ms apart: 30 messages without the floor
    expect(out.at(-1)!.chunk).toEqual(done(31));
    expect(out.slice(0, -1).map((message) => message.chunk.delta).join('')).toBe(Array.from({ length: 30 }, (_, i) => `w${i + 1} `).join(''));
  });

  it('keeps order and text whatever the reader pace', async () => {
    const queue = new SubscriberQueue({ maxPendingChars: 1_000_000 });
    const reading = (async () => {
      const out: AnswerChunk[] = [];
      for await (const chunk of queue) {
        out.push(chunk);
        if (chunk.seq % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return out;
    })();
    for (let seq = 1; seq <= 300; seq++) {
      queue.push(delta(seq));
      if (seq % 13 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    queue.push(done(301));
    queue.end();
    const out = await reading;
    const seqs = out.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(out.at(-1)).toEqual(done(301));
    expect(out.map((c) => c.delta).join('')).toBe(Array.from({ length: 300 }, (_, i) => `w${i + 1} `).join(''));
    expect(out.length).toBeLessThan(301);
  });

  it('a reader that never reads: the backlog stays one merged chunk and is ended with SLOW_CONSUMER past the bound', async () => {
    let closed = 0;
    const queue = new SubscriberQueue({ maxPendingChars: 10_000, onClose: () => closed++ });
    let seq = 0;
    while (!queue.isClosed && seq < 100_000) {
      queue.push(delta(++seq, 'x'.repeat(100)));
      expect(queue.pending).toBeLessThanOrEqual(10_100);
    }
    expect(seq).toBeLessThan(200);
    expect(closed).toBe(1);
    await expect(queue.next()).rejects.toMatchObject({ extensions: { code: 'SLOW_CONSUMER' } });
    expect(queue.pending).toBe(0);
    queue.push(delta(++seq));
    expect((await queue.next()).done).toBe(true);
  });

  it('a replay (what a resuming client missed) may exceed the bound; live text on top of it may not', async () => {
    const queue = new SubscriberQueue({ maxPendingChars: 1000 });
    for (let seq = 1; seq <= 50; seq++) queue.push(delta(seq, 'r'.repeat(100)), true);
    expect(queue.isClosed).toBe(false);
    queue.push(delta(51, 'l'.repeat(900)));
    expect(queue.isClosed).toBe(false);
    expect((await queue.next()).value).toMatchObject({ seq: 51 });
    queue.push(delta(52, 'l'.repeat(1001)));
    await expect(queue.next()).rejects.toMatchObject({ extensions: { code: 'SLOW_CONSUMER' } });
  });

  it('paced (a busy process): what comes within the interval goes out as one message; done does not wait', async () => {
    const sent: object[] = [];
    const queue = new SubscriberQueue({ maxPendingChars: 1000, pacer: { interval: () => 30, sent: (s) => sent.push(s) } });
    const first = queue.next();
    queue.push(delta(1));
    expect((await first).value).toEqual(delta(1));
    const started = performance.now();
    const second = queue.next();
    queue.push(delta(2));
    queue.push(delta(3));
    await new Promise((resolve) => setTimeout(resolve, 5));
    queue.push(delta(4));
    expect((await second).value).toEqual({ turnId: 't', seq: 4, delta: 'w2 w3 w4 ', done: false });
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    queue.push(done(5));
    queue.end();
    const doneAt = performance.now();
    expect((await queue.next()).value).toEqual(done(5));
    expect(performance.now() - doneAt).toBeLessThan(20);
    expect((await queue.next()).done).toBe(true);
    expect(sent).toHaveLength(3);
  });

  it('return() (the client went away) ends it at once and closes once', async () => {
    let closed = 0;
    const queue = new SubscriberQueue({ maxPendingChars: 1000, onClose: () => closed++ });
    const waiting = queue.next();
    await queue.return();
    expect((await waiting).done).toBe(true);
    queue.push(delta(1));
    expect((await queue.next()).done).toBe(true);
    expect(closed).toBe(1);
  });
});
