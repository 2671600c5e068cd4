import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePositions, formatPosition, maxPosition, parsePosition } from './position.ts';

/** The order by the numbers themselves: commit, then prepare. */
function byNumbers(a: string, b: string): number {
  const [pa, pb] = [parsePosition(a), parsePosition(b)];
  if (pa.commit !== pb.commit) return pa.commit < pb.commit ? -1 : 1;
  return pa.prepare === pb.prepare ? 0 : pa.prepare < pb.prepare ? -1 : 1;
}

const digits = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
  fc.nat({ max: 1000 }).map(String),
  // Leading zeros are positions too ("007" is 7).
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.nat({ max: 99 })).map(([zeros, n]) => '0'.repeat(zeros) + n),
);
const position = fc.tuple(digits, digits).map(([commit, prepare]) => `${commit}-${prepare}`);

describe('log positions', () => {
  it('order by commit, then prepare, as numbers, whatever their lengths and leading zeros', () => {
    fc.assert(
      fc.property(position, position, (a, b) => {
        expect(comparePositions(a, b)).toBe(byNumbers(a, b));
        expect(comparePositions(b, a)).toBe(-byNumbers(a, b) || 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('order the awkward cases: a longer number is larger, equal numbers with other spellings are equal', () => {
    expect(comparePositions('9-0', '10-0')).toBe(-1);
    expect(comparePositions('10-9', '10-10')).toBe(-1);
    expect(comparePositions('18446744073709551615-1', '18446744073709551614-2')).toBe(1);
    expect(comparePositions('007-1', '7-01')).toBe(0);
    expect(comparePositions('0-0', '00-000')).toBe(0);
    expect(maxPosition('2-5', '10-1')).toBe('10-1');
    expect(formatPosition(7n, 1)).toBe('7-1');
  });

  it('refuse what is not a position', () => {
    for (const bad of ['', '1', '1-', '-1', '1-2-3', 'a-1', '1--2', ' 1-2', '1-2 ', '-1-2']) {
      expect(() => comparePositions(bad, '0-0'), bad).toThrow(TypeError);
      expect(() => comparePositions('0-0', bad), bad).toThrow(TypeError);
    }
  });
});
