/** How the extractive answerer cuts text: sentences to quote, the question's language, the deltas it streams. */
import { describe, expect, it } from 'vitest';
import { questionLanguage } from './question-language.ts';
import { splitSentences } from './sentences.ts';
import { smallDeltas } from './small-deltas.ts';

describe('splitSentences', () => {
  it('cuts English at . ! ? before a space, but not after initials and abbreviations', () => {
    expect(splitSentences('Dr. Smith met J. R. R. Tolkien in the U.S. in 1950. Why? It rained!  Then e.g. tea.')).toEqual([
      'Dr. Smith met J. R. R. Tolkien in the U.S. in 1950.',
      'Why?',
      'It rained!',
      'Then e.g. tea.',
    ]);
  });

  it('cuts Chinese at 。！？； with or without a space, keeping closing quotes', () => {
    expect(splitSentences('水泵每周清洗。过滤器要更换吗？是的；请联系“经销商。”谢谢')).toEqual([
      '水泵每周清洗。',
      '过滤器要更换吗？',
      '是的；',
      '请联系“经销商。”',
      '谢谢',
    ]);
  });

  it('cuts at line breaks (headings, list items) and tidies spaces, dropping pieces without words', () => {
    expect(splitSentences('Pump maintenance\n- Clean   the pump weekly\n\n---\nReplace the filter')).toEqual([
      'Pump maintenance',
      '- Clean the pump weekly',
      'Replace the filter',
    ]);
  });
});

describe('questionLanguage', () => {
  it.each([
    ['过滤器多久更换一次？', 'zh'],
    ['Debian 的安装步骤是什么', 'zh'],
    ['How often is the filter replaced?', 'en'],
    ['What does 你好 mean?', 'en'],
    ['', 'en'],
  ] as const)('%s -> %s', (question, language) => {
    expect(questionLanguage(question)).toBe(language);
  });
});

describe('smallDeltas', () => {
  it('cuts English into words with their spaces and Chinese into one or two characters, losing nothing', () => {
    const text = 'Extractive answer:\nThe pump  is cleaned. [1]\n水泵每周清洗一次。[2] OK';
    const deltas = smallDeltas(text);
    expect(deltas.join('')).toBe(text);
    expect(deltas.slice(0, 3)).toEqual(['Extractive ', 'answer:\n', 'The ']);
    expect(deltas).toContain('水泵');
    expect(deltas).toContain('。[2] ');
  });
});
