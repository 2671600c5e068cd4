import { describe, expect, it } from 'vitest';
import { searchSettings, usesDenseRanking } from './search-options.ts';

const options = { lexicalWeight: 1, candidates: 50, bm25: { k1: 1.2, b: 0.75 } };

describe('search settings', () => {
  it('gives the local embedder no dense weight and a real model 0.5, unless a weight is set', () => {
    expect(searchSettings(options, 'local')).toEqual({
      weights: { lexical: 1, dense: 0 },
      bm25: { k1: 1.2, b: 0.75 },
      candidates: 50,
    });
    expect(searchSettings(options, 'remote').weights).toEqual({ lexical: 1, dense: 0.5 });
    const configured = { ...options, lexicalWeight: 2, denseWeight: 0.3, bm25: { k1: 1.2, b: 0.5 } };
    expect(searchSettings(configured, 'local')).toMatchObject({ weights: { lexical: 2, dense: 0.3 }, bm25: { b: 0.5 } });
    expect(searchSettings({ ...options, denseWeight: 0 }, 'remote').weights.dense).toBe(0);
  });

  it('gives the dense ranking a part only with a weight above 0', () => {
    expect(usesDenseRanking({ lexical: 1, dense: 0 })).toBe(false);
    expect(usesDenseRanking({ lexical: 1, dense: 0.1 })).toBe(true);
  });
});
