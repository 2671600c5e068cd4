/** The [n] citation syntax: read from answers, stripped from history. */
import { describe, expect, it } from 'vitest';
import { citedPassageNumbers, withoutCitations } from './citations.ts';

describe('citations', () => {
  const known = new Set([1, 2, 3, 4]);

  it('reads [n], [n, m], [n][m] and Chinese separators, keeping only passages of the request', () => {
    expect(citedPassageNumbers('A [3]. B [1, 2]. C [2][4]. D [9]. E [2，3]. F [1、4]', known)).toEqual([1, 2, 3, 4]);
    expect(citedPassageNumbers('A [9] and [x] and [ 1 ]', known)).toEqual([]);
  });

  it('strips them with the space before them', () => {
    expect(withoutCitations('Paris is the capital [1]. It is large [2][3].')).toBe('Paris is the capital. It is large.');
    expect(withoutCitations('巴黎是首都。[1, 2]')).toBe('巴黎是首都。');
  });
});
