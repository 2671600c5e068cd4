import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuse } from './fusion.ts';

const map = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('hybrid fusion', () => {
  it('with no dense weight, keeps exactly the lexical order whatever the dense scores', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.double({ min: 0.01, max: 50, noNaN: true })),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.double({ min: -1, max: 1, noNaN: true })),
        (lexical, dense) => {
          const lexicalMap = map(lexical);
          const ranked = fuse(lexicalMap, map(dense), { lexical: 1, dense: 0 })
            .filter((candidate) => candidate.lexical !== undefined)
            .map((candidate) => candidate.lexical);
          expect(ranked).toEqual([...lexicalMap.values()].sort((a, b) => b - a));
        },
      ),
    );
  });

  it('normalises both rankings and mixes them by weight', () => {
    const fused = fuse(map({ a: 10, b: 5 }), map({ b: 0.9, c: 0.5, a: 0.1 }), { lexical: 1, dense: 1 });
    expect(fused.map(({ chunkId, score }) => [chunkId, Number(score.toFixed(3))])).toEqual([
      ['b', 1.5],
      ['a', 1],
      ['c', 0.5],
    ]);
  });

  it('ranks by dense similarity alone when the lexical weight is 0', () => {
    expect(fuse(map({ a: 10 }), map({ a: 0.2, b: 0.8 }), { lexical: 0, dense: 1 })[0]!.chunkId).toBe('b');
  });

  it('returns nothing for no candidates', () => {
    expect(fuse(new Map(), new Map(), { lexical: 1, dense: 1 })).toEqual([]);
  });
});
