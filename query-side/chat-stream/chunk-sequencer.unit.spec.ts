import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import { ChunkSequencer } from './chunk-sequencer.ts';

const delta = (seq: number): AnswerChunk => ({ turnId: 't', seq, delta: `d${seq} `, done: false });
const done = (seq: number): AnswerChunk => ({ turnId: 't', seq, delta: '', done: true, status: 'completed', citations: [] });

function sequencer(afterSeq = 0) {
  const out: AnswerChunk[] = [];
  let finished = 0;
  const s = new ChunkSequencer(afterSeq, { chunk: (c) => out.push(c), finish: () => finished++ });
  return { s, out, seqs: () => out.map((c) => c.seq), finished: () => finished };
}

describe('ChunkSequencer: each seq once, in order, nothing after done', () => {
  it('delivers in order what arrives out of order, and drops copies', () => {
    const { s, seqs } = sequencer();
    s.accept([delta(2), delta(3)]);
    expect(seqs()).toEqual([]);
    expect(s.missing).toBe(1);
    s.accept([delta(1), delta(2)]);
    expect(seqs()).toEqual([1, 2, 3]);
    expect(s.missing).toBeUndefined();
  });

  it('starts after afterSeq', () => {
    const { s, seqs } = sequencer(2);
    s.accept([delta(1), delta(2), delta(3), delta(4)]);
    expect(seqs()).toEqual([3, 4]);
  });

  it('finishes on the done chunk, and on a done chunk the reader already had', () => {
    const a = sequencer();
    a.s.accept([delta(1), done(2), delta(3)]);
    expect([a.seqs(), a.finished(), a.s.finished]).toEqual([[1, 2], 1, true]);
    const b = sequencer(5);
    b.s.accept([done(4)]);
    expect([b.seqs(), b.finished()]).toEqual([[], 1]);
  });

  it('finishWith drops what waits behind a hole and ends with the given chunks', () => {
    const { s, seqs, finished } = sequencer();
    s.accept([delta(1), delta(3), delta(4)]);
    s.finishWith([delta(2), done(3)]);
    expect([seqs(), finished()]).toEqual([[1, 2, 3], 1]);
  });

  it('property: any arrival order with copies delivers exactly afterSeq+1..done', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 45 }),
        fc.array(fc.nat(), { maxLength: 200 }),
        (n, afterSeq, picks) => {
          const all = [...Array.from({ length: n }, (_, i) => delta(i + 1)), done(n + 1)];
          // Some random arrivals, then everything once more (the buffer's replay), in order.
          const arrivals = [...picks.map((p) => all[p % all.length]!), ...all];
          const { s, seqs, finished } = sequencer(afterSeq);
          for (const chunk of arrivals) s.accept([chunk]);
          const expected = Array.from({ length: Math.max(0, n + 1 - afterSeq) }, (_, i) => afterSeq + i + 1);
          expect(seqs()).toEqual(expected);
          expect(finished()).toBe(1);
        },
      ),
    );
  });
});
