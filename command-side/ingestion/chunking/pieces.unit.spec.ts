import { describe, expect, it, vi } from 'vitest';
import type * as Tokens from './tokens.ts';

// Records the length of every text handed to the tokenizer: byte-pair merging is quadratic in the length of one
// run of letters, so a long run must be split by cheap counts before anything tokenizes it.
const tokenized: number[] = [];
vi.mock('./tokens.ts', async (importOriginal) => {
  const original = await importOriginal<typeof Tokens>();
  return {
    countTokens: (text: string) => {
      tokenized.push(text.length);
      return original.countTokens(text);
    },
  };
});

const { sentencePieces } = await import('./pieces.ts');
const { cjkCount } = await import('./budget.ts');

const LIMIT = { tokens: 300, cjk: 400 };

describe('sentencePieces on one long run without boundaries', () => {
  it.each([
    ['Chinese without punctuation', Array.from({ length: 8192 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7) % 3000))).join('')],
    ['one word of letters', Array.from({ length: 8192 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'[(i * 11) % 26]).join('')],
  ])('%s: never tokenizes more than the budget could hold, and loses nothing', (_, text) => {
    tokenized.length = 0;
    const pieces = sentencePieces(text, LIMIT);
    expect(pieces.map((piece) => piece.text).join('')).toBe(text);
    for (const piece of pieces) {
      expect(piece.size.tokens).toBeLessThanOrEqual(LIMIT.tokens);
      expect(cjkCount(piece.text)).toBeLessThanOrEqual(LIMIT.cjk);
    }
    expect(tokenized.length).toBeGreaterThan(0);
    expect(Math.max(...tokenized)).toBeLessThanOrEqual(LIMIT.tokens * 16);
  });
});

describe('sentencePieces on text of tiny parts', () => {
  it.each([
    ['lines of one letter', 'a\n'.repeat(4000)],
    ['sentences of one mark', '. ! ? '.repeat(1500)],
    ['a sentence of short words', `${'go to it '.repeat(1000)}now.`],
  ])('%s: measures them in groups, not one tokenizer call per part, and loses nothing', (_, text) => {
    tokenized.length = 0;
    const pieces = sentencePieces(text, LIMIT);
    expect(pieces.map((piece) => piece.text).join('')).toBe(text);
    for (const piece of pieces) expect(piece.size.tokens).toBeLessThanOrEqual(LIMIT.tokens);
    expect(tokenized.length).toBeLessThan(text.length / 10);
  });

  it('keeps an ordinary sentence a piece of its own', () => {
    const sentences = ['The pump needs new seals every spring. ', 'Drain the tank before you open the housing. '];
    expect(sentencePieces(sentences.join(''), LIMIT).map((piece) => piece.text)).toEqual(sentences);
  });
});
