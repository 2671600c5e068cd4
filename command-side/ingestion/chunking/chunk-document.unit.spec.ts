import { describe, expect, it } from 'vitest';
import type { Block, ParsedDocument } from '../parsing/types.ts';
import { blockSlices } from './block-slices.ts';
import { cjkCount } from './budget.ts';
import { chunkDocument } from './chunk-document.ts';
import { DEFAULT_CHUNK_OPTIONS } from './options.ts';
import { countTokens } from './tokens.ts';

const WORDS = 'the knowledge base stores manuals and answers questions about packages builds rules and tests'.split(' ');
const englishSentence = (n: number) =>
  `${Array.from({ length: 8 + (n % 9) }, (_, i) => WORDS[(n * 7 + i * 3) % WORDS.length]).join(' ')} number ${n}.`;
const englishParagraph = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => englishSentence(from + i)).join(' ');
const CHINESE = ['知识库保存手册并回答问题', '每个文档都会被切分成片段', '检索时先找到最相关的内容', '系统会引用原文作为依据'];
const ENDS = ['。', '！', '？', '；'];
const chineseParagraph = (count: number) =>
  Array.from({ length: count }, (_, i) => `${CHINESE[i % 4]}第${i}句${ENDS[i % 4]}`).join('');
const doc = (blocks: Block[]): ParsedDocument => ({ mediaType: 'text/plain', blocks, charCount: 0 });
const BROKEN_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Longest suffix of `a` (at least `min` chars) that starts `b`. */
function overlapLength(a: string, b: string, min = 5): number {
  for (let n = Math.min(a.length, b.length); n >= min; n--) if (b.startsWith(a.slice(a.length - n))) return n;
  return 0;
}

describe('chunkDocument', () => {
  it('keeps every chunk within the token budget, counted by the tokenizer on the final text', () => {
    const chunks = chunkDocument(doc([{ kind: 'paragraph', text: englishParagraph(0, 400) }]));
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBe(countTokens(chunk.text));
      expect(chunk.tokenCount).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.maxTokens);
      expect(chunk.text.split(/\s+/).length).toBeLessThanOrEqual(260);
    }
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
  });

  it('repeats about overlapTokens of whole sentences between consecutive chunks of a section', () => {
    const chunks = chunkDocument(doc([{ kind: 'paragraph', text: englishParagraph(0, 200) }]));
    for (let i = 1; i < chunks.length; i++) {
      const shared = overlapLength(chunks[i - 1]!.text, chunks[i]!.text);
      expect(shared).toBeGreaterThan(0);
      const overlap = chunks[i]!.text.slice(0, shared);
      expect(countTokens(overlap)).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.overlapTokens + 1);
      expect(overlap.trimEnd()).toMatch(/\.$/);
    }
  });

  it('never crosses a top-level heading and carries the heading path', () => {
    const chunks = chunkDocument(
      doc([
        { kind: 'heading', text: 'Install', level: 1 },
        { kind: 'paragraph', text: 'Short install note.' },
        { kind: 'heading', text: 'Usage', level: 1 },
        { kind: 'heading', text: 'Basics', level: 2 },
        { kind: 'paragraph', text: englishParagraph(0, 60) },
        { kind: 'heading', text: 'Advanced', level: 2 },
        { kind: 'paragraph', text: 'Advanced words.' },
      ]),
    );
    expect(chunks[0]).toMatchObject({ text: 'Short install note.', headingPath: ['Install'] });
    expect(chunks.slice(1).every((c) => c.headingPath[0] === 'Usage')).toBe(true);
    expect(chunks.some((c) => c.headingPath.join('/') === 'Usage/Basics')).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ text: 'Advanced words.', headingPath: ['Usage', 'Advanced'] });
    // No overlap across a heading: the Advanced chunk starts fresh.
    expect(chunks.filter((c) => c.text.includes('Short install note.'))).toHaveLength(1);
  });

  it('lets a small subsection join the previous small one, both headings inline', () => {
    const chunks = chunkDocument(
      doc([
        { kind: 'heading', text: 'Guide', level: 1 },
        { kind: 'heading', text: 'A', level: 2 },
        { kind: 'paragraph', text: 'Alpha text.' },
        { kind: 'heading', text: 'B', level: 2 },
        { kind: 'paragraph', text: 'Beta text.' },
      ]),
    );
    // A's heading leaves the common path, so it leads the text: every question of a short-answer FAQ stays findable.
    expect(chunks).toEqual([{ index: 0, text: 'A\nAlpha text.\nB\nBeta text.', headingPath: ['Guide'], tokenCount: countTokens('A\nAlpha text.\nB\nBeta text.') }]);
  });

  it('keeps every question of an FAQ with short answers in its chunk, as text or heading path', () => {
    const questions = ['How do I reset my password?', 'Can I change my email?', 'Where is my invoice?', 'How do I close my account?'];
    const chunks = chunkDocument(
      doc([
        { kind: 'heading', text: 'FAQ', level: 1 },
        ...questions.flatMap((question, i): Block[] => [
          { kind: 'heading', text: question, level: 2 },
          { kind: 'paragraph', text: `Short answer number ${i}.` },
        ]),
      ]),
    );
    for (const question of questions) {
      expect(chunks.some((c) => c.text.includes(question) || c.headingPath.includes(question)), question).toBe(true);
    }
  });

  it('keeps list items and table rows whole, one per line', () => {
    const rows: Block[] = Array.from({ length: 80 }, (_, i) => ({ kind: 'table-row', text: `row ${i} | value ${i * 3} | ${englishSentence(i)}` }));
    const items: Block[] = Array.from({ length: 30 }, (_, i) => ({ kind: 'list-item', text: `item ${i} ${englishSentence(i)}`, level: 1 }));
    const chunks = chunkDocument(doc([...rows, ...items]));
    const lines = new Set(chunks.flatMap((c) => c.text.split('\n')));
    for (const block of [...rows, ...items]) expect(lines.has(block.text)).toBe(true);
  });

  it('cuts Chinese at sentence ends within 400 characters, with overlap', () => {
    const chunks = chunkDocument(doc([{ kind: 'paragraph', text: chineseParagraph(300) }]));
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(cjkCount(chunk.text)).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.maxCjkChars);
      expect(chunk.tokenCount).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.maxTokens);
      expect(chunk.text).toMatch(/[。！？；]$/);
    }
    for (let i = 1; i < chunks.length; i++) {
      const shared = overlapLength(chunks[i - 1]!.text, chunks[i]!.text, 2);
      expect(shared).toBeGreaterThan(10);
      expect(shared).toBeLessThanOrEqual(80);
    }
  });

  it('cuts an over-long run without punctuation between whole code points', () => {
    const astral = '𠀀𠀁𠀂𪚥𫝀'.repeat(400) + '😀'.repeat(300);
    const han = '知识库'.repeat(900);
    const chunks = chunkDocument(doc([{ kind: 'paragraph', text: astral }, { kind: 'paragraph', text: han }]));
    expect(chunks.map((c) => c.text.replace(/\n/g, '')).join('').length).toBeGreaterThanOrEqual(astral.length + han.length);
    for (const chunk of chunks) {
      expect(chunk.text).not.toMatch(BROKEN_SURROGATE);
      expect(chunk.tokenCount).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.maxTokens);
      expect(cjkCount(chunk.text)).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.maxCjkChars);
    }
  });

  it('splits a very long English sentence at words', () => {
    const sentence = Array.from({ length: 1200 }, (_, i) => WORDS[i % WORDS.length]).join(' ');
    const chunks = chunkDocument(doc([{ kind: 'paragraph', text: sentence }]));
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(DEFAULT_CHUNK_OPTIONS.maxTokens);
      expect(WORDS).toContain(chunk.text.split(' ')[0]);
      expect(WORDS).toContain(chunk.text.split(' ').at(-1));
    }
  });

  it('records pages, counts special-token markers as text, and is deterministic', () => {
    const blocks: Block[] = [1, 2, 3].map((page) => ({ kind: 'paragraph', text: `${englishParagraph(page * 50, 25)} <|endoftext|>`, page }));
    const first = chunkDocument(doc(blocks));
    expect(first[0]).toMatchObject({ page: 1 });
    expect(first.at(-1)).toMatchObject({ pageEnd: 3 });
    expect(chunkDocument(doc(blocks))).toEqual(first);
    expect(chunkDocument(doc([]))).toEqual([]);
  });

  it('slices a huge block at sentence ends without losing a character', () => {
    const text = englishParagraph(0, 3000) + chineseParagraph(2000);
    const slices = blockSlices({ kind: 'paragraph', text });
    expect(slices.length).toBeGreaterThan(20);
    expect(slices.map((s) => s.text).join('')).toBe(text);
    for (const slice of slices.slice(0, -1)) expect(slice.text).toMatch(/(?:\. |[。！？；])$/);
  });

  it('rejects budgets that cannot work', () => {
    expect(() => chunkDocument(doc([]), { maxTokens: 100, maxCjkChars: 100, overlapTokens: 60 })).toThrow(RangeError);
    expect(() => chunkDocument(doc([]), { maxTokens: 4, maxCjkChars: 100, overlapTokens: 0 })).toThrow(RangeError);
  });
});
