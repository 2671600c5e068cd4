import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import { TEST_REDIS_URL } from '../../ops/testing/databases.ts';
import { followTurn } from './follow-turn.ts';
import { createRedisAnswerFeed } from './redis-answer-feed.ts';

const prefix = `ka-test-${randomBytes(4).toString('hex')}:answer:`;
const delta = (turnId: string, seq: number): AnswerChunk => ({ turnId, seq, delta: `w${seq} `, done: false });
const done = (turnId: string, seq: number): AnswerChunk => ({ turnId, seq, delta: '', done: true, status: 'completed', citations: [] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}

function collector() {
  const chunks: AnswerChunk[] = [];
  let finished = false;
  return { chunks, seqs: () => chunks.map((c) => c.seq), isFinished: () => finished, sink: { chunk: (c: AnswerChunk) => void chunks.push(c), finish: () => (finished = true) } };
}

describe('Redis answer feed (real Redis)', () => {
  // Two instances: the saga's (publishing) and an api instance's (reading).
  const saga = createRedisAnswerFeed({ url: TEST_REDIS_URL, prefix, retainMs: 60_000 });
  const api = createRedisAnswerFeed({ url: TEST_REDIS_URL, prefix, retainMs: 60_000 });
  let raw: Redis;
  beforeAll(() => {
    raw = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    await Promise.all([saga.close(), api.close()]);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
  });

  it('buffers a turn in seq order; a repeated seq is refused; lastSeq reads what was kept', async () => {
    const turnId = 'buffer';
    for (const seq of [1, 2, 3]) saga.publish(delta(turnId, seq));
    expect(await saga.lastSeq(turnId)).toBe(3);
    saga.publish(delta(turnId, 2));
    saga.publish(delta(turnId, 4));
    expect(await saga.lastSeq(turnId)).toBe(4);
    expect(await api.lastSeq(turnId)).toBe(4);
    // Another process repeating a seq (a saga instance taking over): Redis refuses it, no reader sees it.
    api.publish({ ...delta(turnId, 3), delta: 'again' });
    expect(await api.lastSeq(turnId)).toBe(4);
    expect((await api.read(turnId, 0)).map((c) => c.seq)).toEqual([1, 2, 3, 4]);
    expect((await api.read(turnId, 2)).map((c) => c.seq)).toEqual([3, 4]);
    expect(await api.read('unknown', 0)).toEqual([]);
    expect(await api.lastSeq('unknown')).toBe(0);
  });

  it('a reader on another instance joining at any point gets afterSeq+1.. in order, each once, then done', async () => {
    const turnId = 'cross';
    const readers: Array<{ afterSeq: number; reader: ReturnType<typeof collector>; close: () => void }> = [];
    const joining: Promise<void>[] = [];
    for (let seq = 1; seq <= 150; seq++) {
      saga.publish(delta(turnId, seq));
      if (seq % 15 === 0) {
        // Joins while chunks are in flight, resuming from somewhere before the current seq.
        const afterSeq = Math.max(0, seq - 20);
        const reader = collector();
        joining.push(followTurn(api, turnId, afterSeq, reader.sink).then((f) => void readers.push({ afterSeq, reader, close: () => f.close() })));
      }
      if (seq % 5 === 0) await sleep(1);
    }
    await Promise.all(joining);
    saga.publish(done(turnId, 151));
    await until(() => readers.every((r) => r.reader.isFinished()));
    for (const { afterSeq, reader, close } of readers) {
      expect(reader.seqs()).toEqual(Array.from({ length: 151 - afterSeq }, (_, i) => afterSeq + i + 1));
      close();
    }
    await until(() => api.channels.listening === 0);
  });

  it('a chunk lost on the live channel (kept in the buffer only) is read back from the buffer', async () => {
    const turnId = 'hole';
    const reader = collector();
    const following = await followTurn(api, turnId, 0, reader.sink);
    saga.publish(delta(turnId, 1));
    await until(() => reader.chunks.length === 1);
    // seq 2 reaches the buffer but not the channel, as when a subscriber connection drops for a moment.
    await raw.xadd(`${prefix}${turnId}`, '2-0', 'c', JSON.stringify([delta(turnId, 2)]));
    saga.publish(delta(turnId, 3));
    saga.publish(done(turnId, 4));
    await until(() => reader.isFinished());
    expect(reader.seqs()).toEqual([1, 2, 3, 4]);
    following.close();
  });

  it('a turn expires retainMs after its last chunk', async () => {
    const short = createRedisAnswerFeed({ url: TEST_REDIS_URL, prefix, retainMs: 150 });
    try {
      short.publish(delta('expiring', 1));
      expect(await short.lastSeq('expiring')).toBe(1);
      await sleep(400);
      expect(await short.read('expiring', 0)).toEqual([]);
    } finally {
      await short.close();
    }
  });
});
