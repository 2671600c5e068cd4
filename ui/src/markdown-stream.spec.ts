/**
 * createAnswerRenderer keeps the blocks it calls settled and parses only the tail again: these tests feed it every
 * prefix of awkward answers, in order as a stream would, and check each result against a parse of the whole text.
 */
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it, vi } from 'vitest';
import { createAnswerRenderer, renderAnswerBlocks, type AnswerRenderOptions } from './markdown';

const label = (n: number) => `Source ${n}`;
const STREAMING: AnswerRenderOptions = { citationLabel: label };
const CITED: AnswerRenderOptions = { citationLabel: label, citations: new Set([1, 2, 3]) };
const OPTIONS = [STREAMING, CITED, { citationLabel: (n: number) => `来源 ${n}`, citations: new Set([2]) }];

const ANSWERS = [
  // Headings, a loose list that tightens, nested items, citations (grouped, Chinese commas), a closing paragraph.
  `# Resetting the pump

The pump resets in three steps [1]. Check the power first [1, 2].

1. Switch it off at the mains.
2. Hold the red button for five seconds [2].

3. Switch it on again; the light blinks green.
   - If it blinks red, see below.
   - If it stays off [3], call support.

Setext heading
==============

Another one
---
That was [1][2] and [1，3].`,
  // Code fences (one with a longer fence, one still open at the end), inline code with brackets, an indented block.
  "Run the check:\n\n```sh\npump --check [1]\n\n# blank line above stays in the fence\n```\n\nThen `arr[1]` holds the id.\n\n````md\n```\nnested fence\n```\n````\n\n    indented code\n\n    more of it\nafter the code\n\n```js\nconst open = 'fence never closed';\n[1]",
  // A table that grows row by row, a paragraph that becomes a table header, rules and a setext underline.
  '| part | torque |\n| --- | ---: |\n| bolt [1] | 12 Nm |\n| nut | 8 Nm |\nnot a row?\n\nheader line\n| a | b |\n| - | - |\n| 1 | 2 |\n\n---\n***\nparagraph\n- - -\nlast line\n-',
  // Chinese, with full-width punctuation, lists with 、 and a blockquote with lazy continuation.
  '## 重置水泵\n\n先关闭电源【注意】，再按住红色按钮五秒钟 [1、2]。\n\n> 提示：如果指示灯\n持续闪烁红色，请联系支持 [3]。\n> 第二行\n\n- 第一步：断电\n- 第二步：按钮\n\n  第二步的补充说明 [2]。\n- 第三步\n\n完成。',
  // Links and autolinks next to citations, emphasis across lines, hard breaks, an HTML-looking line (raw HTML off).
  'See [the guide](https://example.com/guide) [1] or https://example.com/faq.\n*emphasis that\nspans lines* and **bold**  \nhard break\\\nbackslash break\n\n<div>not html</div>\n\n[see [1]](https://example.com) [2]\n\nEscaped \\[1\\] and &#91;2&#93; are markers too.',
  // Reference definitions, which change links in earlier blocks, and a definition that is not one after all.
  'Read [the manual][m] first [1].\n\nThen [the faq][f].\n\n[m]: https://example.com/manual\n\nMore text.\n\n[f]: https://example.com/faq "FAQ\n\n[x]: not-a-definition because title',
  // Windows line ends, tabs, a list after a paragraph without a blank line, an ordered list starting at 7.
  'Line one\r\nline two\r\n\r\n-\titem\r\n-\titem two\r\nparagraph\r\n- interrupts\r\n\r\n7. seven\r\n8. eight\r\n',
];

/** Every prefix of `text` in order, each checked against a full parse; `step` characters at a time. */
function expectEveryPrefix(text: string, options: AnswerRenderOptions, step = 1): void {
  const render = createAnswerRenderer();
  for (let end = 0; end <= text.length; end += step) {
    const prefix = text.slice(0, end);
    expect(render(prefix, options), JSON.stringify(prefix)).toEqual(renderAnswerBlocks(prefix, options));
  }
  expect(render(text, options)).toEqual(renderAnswerBlocks(text, options));
}

describe('createAnswerRenderer', () => {
  it.each(ANSWERS)('gives what a full parse gives for every prefix, character by character: %j', (answer) => {
    expectEveryPrefix(answer, STREAMING);
    expectEveryPrefix(answer, CITED);
  });

  it('gives what a full parse gives when the text grows by a few characters at a time', () => {
    for (const answer of ANSWERS) for (const step of [2, 3, 7, 16]) expectEveryPrefix(answer, STREAMING, step);
  });

  it('gives what a full parse gives for all the answers one after the other in one text', () => {
    expectEveryPrefix(ANSWERS.join('\n\n'), CITED, 5);
  });

  it('starts over for a text that does not continue the last one, and for other options', () => {
    const render = createAnswerRenderer();
    const first = ANSWERS[0]!;
    render(first, STREAMING);
    const other = ANSWERS[1]!;
    expect(render(other, STREAMING)).toEqual(renderAnswerBlocks(other, STREAMING));
    expect(render(first, STREAMING)).toEqual(renderAnswerBlocks(first, STREAMING));
    // The citations become known at the end: the settled blocks showed inert markers and must become buttons.
    expect(render(first, CITED)).toEqual(renderAnswerBlocks(first, CITED));
    expect(render(first, CITED).join('')).toContain('<button');
    expect(render(first.slice(0, 200), CITED)).toEqual(renderAnswerBlocks(first.slice(0, 200), CITED));
  });

  it('parses only the last blocks again as text is appended', () => {
    const parse = vi.spyOn(MarkdownIt.prototype, 'parse');
    try {
      const render = createAnswerRenderer();
      const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} [1].`).join('\n\n');
      render(paragraphs, STREAMING);
      render(`${paragraphs} More`, STREAMING);
      render(`${paragraphs} More.\n\nNext`, STREAMING);
      render(`${paragraphs} More.\n\nNext one`, STREAMING);
      const sources = ['Paragraph 28 [1].\n\nParagraph 29 [1]. More', 'Paragraph 28 [1].\n\nParagraph 29 [1]. More.\n\nNext', 'Paragraph 29 [1]. More.\n\nNext one'];
      expect(parse.mock.calls.map(([source]) => source)).toEqual([paragraphs, ...sources]);
    } finally {
      parse.mockRestore();
    }
  });

  it('keeps the settled blocks for new options unless they have citation markers', () => {
    const parse = vi.spyOn(MarkdownIt.prototype, 'parse');
    try {
      const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i}.`).join('\n\n');
      const render = createAnswerRenderer();
      /** What the renderer gives for new options, and what it parsed for it. */
      const withNewOptions = (text: string) => {
        render(text, STREAMING);
        parse.mockClear();
        const blocks = render(text, CITED);
        return { blocks, parsed: parse.mock.calls.map(([source]) => source) };
      };
      const plain = withNewOptions(paragraphs);
      expect(plain.parsed).toEqual(['Paragraph 28.\n\nParagraph 29.']);
      expect(plain.blocks).toEqual(renderAnswerBlocks(paragraphs, CITED));
      const cited = paragraphs.replace('Paragraph 3.', 'Paragraph 3 \\[1\\].');
      const marked = withNewOptions(cited);
      expect(marked.parsed).toEqual([cited]);
      expect(marked.blocks).toEqual(renderAnswerBlocks(cited, CITED));
      expect(marked.blocks[3]).toContain('<button');
    } finally {
      parse.mockRestore();
    }
  });

  it('property: any answer made of awkward lines, streamed in any chunks, renders as a full parse does', () => {
    const line = fc.constantFrom(
      '', '', 'plain words [1]', 'more words', '中文句子【一】，继续 [2、3]。', '# heading', 'setext', '===', '---', '-', '- item',
      '  - nested', '1. one', '2) two', '7. seven', '> quote', '> > deeper', '```', '```js', '~~~', '    code', '\tcode',
      '| a | b |', '| - | - |', '|---|:-:|', 'a | b', '***', '[r]: https://example.com/r', '[r]', 'see [r] and [x][r]',
      '[link](https://example.com) [1]', 'https://example.com/bare', '*open emphasis', 'close* it', '`code [1]`', '  ',
      '<b>raw</b>', 'line with trailing spaces  ', '\\', '+ plus', '10. ten', '   indented three', '\\[2\\] escaped',
      '&#91;1&#93; entity', '[see [1]](https://example.com)',
    );
    // Each step appends a chunk and renders with options that may change (the citations once known, a language).
    const step = fc.record({ chars: fc.integer({ min: 0, max: 12 }), options: fc.constantFrom(0, 0, 0, 1, 2) });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 24 }), fc.array(step, { minLength: 1, maxLength: 10 }), (lines, steps) => {
        const text = lines.join('\n');
        const render = createAnswerRenderer();
        let end = 0;
        for (let i = 0; end < text.length || i < steps.length; i++) {
          const { chars, options } = steps[i % steps.length]!;
          end = Math.min(text.length, end + Math.max(chars, i >= steps.length ? 1 : 0));
          const prefix = text.slice(0, end);
          expect(render(prefix, OPTIONS[options]!), JSON.stringify(prefix)).toEqual(renderAnswerBlocks(prefix, OPTIONS[options]!));
        }
      }),
      { numRuns: 600 },
    );
  });
});
