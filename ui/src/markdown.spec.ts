import { DomUtils, parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import { describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import { renderAnswer, renderAnswerBlocks } from './markdown';

const label = (n: number) => `Source ${n}`;
const render = (text: string, citations?: number[]) =>
  renderAnswer(text, { citationLabel: label, ...(citations && { citations: new Set(citations) }) });

/** Every element of the HTML as a browser would build it (htmlparser2 decodes entities in attributes, as they do). */
const elementsOf = (html: string): Element[] => DomUtils.findAll(() => true, parseDocument(html).children);

const DANGEROUS_TAGS = ['script', 'iframe', 'object', 'embed', 'style', 'svg', 'math', 'form', 'base', 'meta', 'link'];
const DANGEROUS_URL = /^\s*(javascript|vbscript|file|data:text|data:application)/i;

function expectInert(html: string): void {
  for (const element of elementsOf(html)) {
    expect(DANGEROUS_TAGS, html).not.toContain(element.name);
    for (const [name, value] of Object.entries(element.attribs)) {
      expect(name, html).not.toMatch(/^on/i);
      expect(name, html).not.toBe('style');
      // Browsers ignore tabs and newlines inside a scheme ("java\tscript:"): check the value as they read it.
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name)) expect(value.replace(/[\t\n\r]/g, ''), html).not.toMatch(DANGEROUS_URL);
    }
  }
}

const HOSTILE_ANSWERS = [
  '<script>alert(1)</script>',
  'Hello <script src="https://evil.example/x.js"></script> there',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(1)"/>',
  '<a href="javascript:alert(1)">click</a>',
  '<div onclick="alert(1)" onmouseover=alert(2)>hover</div>',
  '<svg onload=alert(1)><circle/></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<style>body{display:none}</style>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x]( javascript:alert(1) )',
  '[x](&#106;avascript:alert(1))',
  '[x](&#x6A;&#x61;vascript:alert(1))',
  '[x](java&#x09;script:alert(1))',
  '[x](java\tscript:alert(1))',
  '[x](<javascript:alert(1)>)',
  '[x](vbscript:msgbox(1))',
  '[x](file:///etc/passwd)',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](DATA:text/html,<script>alert(1)</script>)',
  '[x](data:application/javascript,alert(1))',
  '![x](javascript:alert(1))',
  '![x](data:text/html,<script>alert(1)</script>)',
  '![x](x" onerror="alert(1))',
  '[x](https://ok.example/" onclick="alert(1))',
  '[x][ref]\n\n[ref]: javascript:alert(1)',
  '<javascript:alert(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  'see javascript:alert(1) and data:text/html,<b>x</b>',
  '```html\n<script>alert(1)</script>\n```',
  '`<img src=x onerror=alert(1)>`',
  '**<b onmouseover="alert(1)">bold</b>**',
  '> <a href="javascript:alert(1)">quoted</a>',
  '- [x](javascript:alert(1))\n- <img src=x onerror=alert(1)>',
  '[<img src=x onerror=alert(1)>](https://ok.example)',
  '[1](javascript:alert(1)) [2]',
];

describe('renderAnswer: untrusted answers come out inert', () => {
  it.each(HOSTILE_ANSWERS)('%s', (answer) => {
    expectInert(render(answer));
    expectInert(render(answer, [1, 2]));
  });

  it('all of them in one answer, too', () => {
    const html = render(HOSTILE_ANSWERS.join('\n\n'), [1, 2]);
    expectInert(html);
    expect(elementsOf(html).some((e) => e.name === 'script')).toBe(false);
  });

  it('shows raw markup as text instead of dropping it', () => {
    const html = render('Use <script>alert(1)</script> carefully');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(DomUtils.textContent(parseDocument(html))).toContain('<script>alert(1)</script>');
  });

  it('leaves a refused link as text, not as an anchor', () => {
    const anchors = elementsOf(render('[x](javascript:alert(1)) and [y](data:text/html,hi)')).filter((e) => e.name === 'a');
    expect(anchors).toEqual([]);
  });
});

describe('renderAnswer: links', () => {
  it('opens links in a new tab without opener, referrer or endorsement', () => {
    const [link] = elementsOf(render('[docs](https://example.com/a?b=1)')).filter((e) => e.name === 'a');
    expect(link?.attribs).toEqual({ href: 'https://example.com/a?b=1', target: '_blank', rel: 'noopener noreferrer nofollow' });
  });

  it('linkifies bare URLs the same way', () => {
    const [link] = elementsOf(render('see https://example.com/x for more')).filter((e) => e.name === 'a');
    expect(link?.attribs.href).toBe('https://example.com/x');
    expect(link?.attribs.rel).toBe('noopener noreferrer nofollow');
    expect(link?.attribs.target).toBe('_blank');
  });

  it('still renders ordinary Markdown', () => {
    const names = elementsOf(render('# Title\n\n**bold** and `code`\n\n- a\n- b\n\n```\nx\n```')).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['h1', 'strong', 'code', 'ul', 'li', 'pre']));
  });
});

describe('renderAnswer: citation markers', () => {
  const buttons = (html: string) => elementsOf(html).filter((e) => e.name === 'button');

  it('turns cited numbers into buttons, single or grouped', () => {
    const html = render('A [1]. B [1, 2]. C [2][1]. D [1，2].', [1, 2]);
    expect(buttons(html).map((b) => b.attribs['data-citation'])).toEqual(['1', '1', '2', '2', '1', '1', '2']);
    expect(buttons(html)[0]?.attribs).toMatchObject({ type: 'button', 'data-testid': 'citation', 'aria-label': 'Source 1' });
    expect(DomUtils.textContent(parseDocument(html))).not.toContain('[');
  });

  it('leaves numbers the turn does not cite as text', () => {
    const html = render('A [1]. B [7]. C [1, 7].', [1]);
    expect(buttons(html).map((b) => b.attribs['data-citation'])).toEqual(['1']);
    expect(DomUtils.textContent(parseDocument(html))).toContain('[7]');
    expect(DomUtils.textContent(parseDocument(html))).toContain('[1, 7]');
  });

  it('shows inert markers while the citations are not known yet', () => {
    const html = render('A [1] and [2].');
    expect(buttons(html)).toEqual([]);
    expect(elementsOf(html).filter((e) => e.attribs.class === 'citation-marker pending')).toHaveLength(2);
  });

  it('does not touch code or link text', () => {
    const html = render('`arr[1]` and\n\n```\nx[1]\n```\n\n[see [1]](https://example.com)', [1]);
    expect(buttons(html)).toEqual([]);
  });

  it('escapes the label', () => {
    const html = renderAnswer('A [1]', { citations: new Set([1]), citationLabel: () => '"><script>alert(1)</script>' });
    expectInert(html);
    expect(buttons(html)[0]?.attribs['aria-label']).toBe('"><script>alert(1)</script>');
  });
});

describe('renderAnswerBlocks', () => {
  const SAMPLES = [
    '',
    'one paragraph',
    '# Title\n\npara [1]\n\n- a\n- b\n  - nested\n\n1. x\n2. y\n\n> quote\n> more\n\n```js\ncode\n\nmore code\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n---\n\nlast',
    'streaming in the middle of a ```\nfence',
    ...HOSTILE_ANSWERS,
  ];

  it.each(SAMPLES)('cuts the HTML into top-level blocks that add up to it: %j', (text) => {
    const options = { citationLabel: label, citations: new Set([1]) };
    const blocks = renderAnswerBlocks(text, options);
    expect(blocks.join('')).toBe(renderAnswer(text, options));
    for (const block of blocks) expect(parseDocument(block).children.filter((n) => n.type === 'tag').length, block).toBeLessThanOrEqual(1);
  });

  it('renders what markdown-it renders, apart from links and citations', () => {
    const text = SAMPLES[2]!.replace('[1]', '');
    expect(renderAnswer(text, { citationLabel: label })).toBe(new MarkdownIt({ html: false, linkify: true }).render(text));
  });

  it('leaves the blocks before the last one alone as text is appended', () => {
    const options = { citationLabel: label };
    const before = renderAnswerBlocks('# Title\n\nFirst para.\n\nSecond', options);
    const after = renderAnswerBlocks('# Title\n\nFirst para.\n\nSecond para, longer', options);
    expect(after.slice(0, -1)).toEqual(before.slice(0, -1));
  });
});
