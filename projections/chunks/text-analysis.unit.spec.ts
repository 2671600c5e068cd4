import { describe, expect, it } from 'vitest';
import { analyze, queryTerms, termFrequencies } from './text-analysis.ts';

describe('BM25 text analysis', () => {
  it('lowercases, drops English stopwords and Porter-stems', () => {
    expect(analyze('The Engineers were RUNNING the connected Systems')).toEqual(['engin', 'run', 'connect', 'system']);
    expect(analyze('connection connections connected')).toEqual(['connect', 'connect', 'connect']);
  });

  it('cuts Chinese into character unigrams and adjacent bigrams, per run', () => {
    expect(analyze('北京大学')).toEqual(['北', '北京', '京', '京大', '大', '大学', '学']);
    expect(analyze('你好，世界')).toEqual(['你', '你好', '好', '世', '世界', '界']);
  });

  it('handles mixed text: Latin words and Chinese runs apart, numbers kept, full-width folded', () => {
    expect(analyze('Nexon开发的游戏2004年')).toEqual(['nexon', '开', '开发', '发', '发的', '的', '的游', '游', '游戏', '戏', '2004', '年']);
    expect(analyze('ＡＢＣ１２３')).toEqual(['abc123']);
  });

  it('counts term frequencies and length; query terms are distinct', () => {
    const { frequencies, length } = termFrequencies('boiler boilers 锅炉');
    expect(Object.fromEntries(frequencies)).toEqual({ boiler: 2, 锅: 1, 锅炉: 1, 炉: 1 });
    expect(length).toBe(5);
    expect(queryTerms('boiler Boilers the boiler')).toEqual(['boiler']);
  });

  it('is fast on long Chinese text (no segmenter cliff)', () => {
    const text = '基于跑跑卡丁车与泡泡堂上所开发的游戏。'.repeat(10_000);
    const started = performance.now();
    expect(analyze(text).length).toBeGreaterThan(300_000);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
