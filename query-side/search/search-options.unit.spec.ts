import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../ops/config/config.ts';
import { searchSettings, usesDenseRanking } from './search-options.ts';

describe('search settings', () => {
  it('gives the local embedder no dense weight and a real model 0.5, unless configured', () => {
    expect(searchSettings(loadConfig({}), 'local')).toEqual({
      weights: { lexical: 1, dense: 0 },
      bm25: { k1: 1.2, b: 0.75 },
      candidates: 50,
    });
    expect(searchSettings(loadConfig({}), 'remote').weights).toEqual({ lexical: 1, dense: 0.5 });
    const configured = loadConfig({ SEARCH_DENSE_WEIGHT: '0.3', SEARCH_LEXICAL_WEIGHT: '2', BM25_B: '0.5' });
    expect(searchSettings(configured, 'local')).toMatchObject({ weights: { lexical: 2, dense: 0.3 }, bm25: { b: 0.5 } });
  });

  it('refuses negative weights and b outside 0..1', () => {
    expect(() => loadConfig({ SEARCH_DENSE_WEIGHT: '-1' })).toThrow(/SEARCH_DENSE_WEIGHT/);
    expect(() => loadConfig({ BM25_B: '2' })).toThrow(/BM25_B/);
  });

  it('gives the dense ranking a part only with a weight above 0', () => {
    expect(usesDenseRanking({ lexical: 1, dense: 0 })).toBe(false);
    expect(usesDenseRanking({ lexical: 1, dense: 0.1 })).toBe(true);
  });
});
