import { describe, expect, it } from 'vitest';
import { testRerankRule } from './test-rerank-rule.ts';

describe('test rerank rule', () => {
  it('scores the candidate holding the question terms together in a sentence above one that scatters them', () => {
    const documents = [
      'The museum opened in 1901. Its gardens were planted later.',
      'Steam engines were built in the city. The museum of steam engines opened in 1901 near the harbour.',
      'Museums are popular. Many engines are on display. Steam was important. Doors open at nine.',
    ];
    const scores = testRerankRule('When did the museum of steam engines open?', documents);
    expect(scores).toHaveLength(3);
    expect(scores[1]).toBe(Math.max(...scores));
    expect(scores[1]).toBe(2); // best passage and best window: 1 + 1
    expect(scores[2]).toBeLessThan(scores[1]!);
    expect(scores[0]).toBeLessThan(scores[1]!);
  });

  it('reads Chinese by characters and bigrams, and gives 0 to a candidate sharing nothing', () => {
    const scores = testRerankRule('清华大学位于哪里？', ['清华大学位于北京市海淀区。', '北京大学创办于1898年。', 'The weather is fine.']);
    expect(scores[0]).toBe(2);
    expect(scores[1]).toBeGreaterThan(0);
    expect(scores[2]).toBe(0);
  });
});
