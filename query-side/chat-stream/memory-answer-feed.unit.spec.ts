import { describe, expect, it } from 'vitest';
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import { followTurn } from './follow-turn.ts';
import { createMemoryAnswerFeed } from './memory-answer-feed.ts';

const delta = (seq: number, turnId = 't1'): AnswerChunk => ({ turnId, seq, delta: `w${seq} `, done: false });
const done = (seq: number, turnId = 't1'): AnswerChunk => ({ turnId, seq, delta: '', done: true, status: 'completed', citations: [] });

function collector() {
  const chunks: AnswerChunk[] = [];
  let finished = false;
  return { chunks, seqs: () => chunks.map((c) => c.seq), isFinished: () => finished, sink: { chunk: (c: AnswerChunk) => void chunks.push(c), finish: () => (finished = true) } };
}

describe('in-process answer feed', () => {
  it('buffers each turn gap-free: a seq at or below the last is refused; lastSeq is the last kept', async () => {
    const feed = createMemoryAnswerFeed();
    for (const seq of [1, 2, 2, 1, 3]) feed.publish(delta(seq));
    feed.publish(delta(1, 't2'));
    expect((await feed.read('t1', 0)).map((c) => c.seq)).toEqual([1, 2, 3]);
    expect((await feed.read('t1', 2)).map((c) => c.seq)).toEqual([3]);
    expect([await feed.lastSeq('t1'), await feed.lastSeq('t2'), await feed.lastSeq('none')]).toEqual([3, 1, 0]);
  });

  it('a reader joining midway gets the missed chunks from the buffer, then the live ones, each once', async () => {
    const feed = createMemoryAnswerFeed();
    for (let seq = 1; seq <= 4; seq++) feed.publish(delta(seq));
    const late = collector();
    const reconnecting = collector();
    const a = await followTurn(feed, 't1', 0, late.sink);
    const b = await followTurn(feed, 't1', 3, reconnecting.sink);
    for (let seq = 5; seq <= 6; seq++) feed.publish(delta(seq));
    feed.publish(done(7));
    expect(late.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(reconnecting.seqs()).toEqual([4, 5, 6, 7]);
    expect([late.isFinished(), reconnecting.isFinished()]).toEqual([true, true]);
    a.close();
    b.close();
  });

  it('a reader that left gets nothing more', async () => {
    const feed = createMemoryAnswerFeed();
    const reader = collector();
    const following = await followTurn(feed, 't1', 0, reader.sink);
    feed.publish(delta(1));
    following.close();
    feed.publish(delta(2));
    expect(reader.seqs()).toEqual([1]);
  });

  it('keeps a turn retainMs after its last chunk, then forgets it', async () => {
    let now = 0;
    const feed = createMemoryAnswerFeed({ retainMs: 1000, now: () => now });
    feed.publish(delta(1));
    now = 900;
    feed.publish(delta(2));
    now = 1800;
    expect((await feed.read('t1', 0)).length).toBe(2);
    now = 1901;
    expect(await feed.read('t1', 0)).toEqual([]);
    expect(await feed.lastSeq('t1')).toBe(0);
  });

  it('stays within its character budget by dropping the turns whose last chunk is oldest', async () => {
    const feed = createMemoryAnswerFeed({ maxBufferedChars: 1000 });
    for (let turn = 0; turn < 50; turn++) {
      for (let seq = 1; seq <= 10; seq++) feed.publish({ turnId: `t${turn}`, seq, delta: 'x'.repeat(10), done: false });
      expect(feed.buffer.size.chars).toBeLessThanOrEqual(1000);
    }
    expect(feed.buffer.size.turns).toBe(10);
    expect(await feed.read('t0', 0)).toEqual([]);
    expect((await feed.read('t49', 0)).length).toBe(10);
  });
});
