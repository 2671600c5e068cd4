import { describe, expect, it } from 'vitest';
import { cleanDocument } from './clean-text.ts';
import { htmlToBlocks } from './html-blocks.ts';
import { markdownToBlocks } from './markdown-blocks.ts';
import { plainToBlocks } from './plain-blocks.ts';

describe('htmlToBlocks', () => {
  it('keeps headings, paragraphs, nested lists, table rows and code; drops scripts, styles and comments', () => {
    const html = `<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style></head><body>
      <script>alert("x")</script><!-- hidden -->
      <h1>Install</h1><p>Run the <b>installer</b> &amp; wait&nbsp;a bit.</p>
      <ul><li>First<ul><li>Nested</li></ul></li><li>Second</li></ul>
      <table><tr><th>Key</th><th>Value</th></tr><tr><td><p>a</p></td><td>1</td></tr></table>
      <pre>line 1
  line 2</pre><h2>Next &#x4E2D;&#25991;</h2><div>Tail<br>text</div></body></html>`;
    expect(htmlToBlocks(html)).toEqual([
      { kind: 'heading', text: 'Install', level: 1 },
      { kind: 'paragraph', text: 'Run the installer & wait a bit.' },
      { kind: 'list-item', text: 'First', level: 1 },
      { kind: 'list-item', text: 'Nested', level: 2 },
      { kind: 'list-item', text: 'Second', level: 1 },
      { kind: 'table-row', text: 'Key | Value' },
      { kind: 'table-row', text: 'a | 1' },
      { kind: 'code', text: 'line 1\n  line 2' },
      { kind: 'heading', text: 'Next 中文', level: 2 },
      { kind: 'paragraph', text: 'Tail text' },
    ]);
  });

  it("reads mammoth's footnotes without their back-links", () => {
    const html =
      '<p>Ouch<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup>.</p><ol><li id="footnote-1"><p> A tachyon walks into a bar. <a href="#footnote-ref-1">↑</a></p></li></ol>';
    expect(htmlToBlocks(html)).toEqual([
      { kind: 'paragraph', text: 'Ouch[1].' },
      { kind: 'list-item', text: 'A tachyon walks into a bar.', level: 1 },
    ]);
  });

  it('ends cells and rows whose end tags are left out, and decodes every HTML character reference', () => {
    const html = '<table><tr><td>a<td>b &eacute;<tr><th>c<th>d</table><p>caf&eacute; &hellip; &copy 2024 &NotEqualTilde; &unknown;</p>';
    expect(htmlToBlocks(html)).toEqual([
      { kind: 'table-row', text: 'a | b é' },
      { kind: 'table-row', text: 'c | d' },
      { kind: 'paragraph', text: 'café … © 2024 \u2242\u0338 &unknown;' },
    ]);
  });

  it('makes <dt> and <summary> headings one level below the last heading (FAQ questions)', () => {
    const html = '<h2>Billing</h2><details><summary>Refunds?</summary><p>Yes.</p></details><dl><dt>Wallet</dt><dd>Prepaid.</dd></dl>';
    expect(htmlToBlocks(html)).toEqual([
      { kind: 'heading', text: 'Billing', level: 2 },
      { kind: 'heading', text: 'Refunds?', level: 3 },
      { kind: 'paragraph', text: 'Yes.' },
      { kind: 'heading', text: 'Wallet', level: 3 },
      { kind: 'paragraph', text: 'Prepaid.' },
    ]);
    expect(htmlToBlocks('<dt>Term</dt><dd>Meaning</dd>')[0]).toEqual({ kind: 'heading', text: 'Term', level: 1 });
  });

  it('drops the title even when </head> is missing', () => {
    expect(htmlToBlocks('<html><head><title>Tab text</title><body><p>Body text</p>')).toEqual([
      { kind: 'paragraph', text: 'Body text' },
    ]);
  });

  it('survives broken markup', () => {
    expect(htmlToBlocks('<p>open <b>bold <i>x</p>< not a tag <script>never closed')).toEqual([
      { kind: 'paragraph', text: 'open bold x' },
      { kind: 'paragraph', text: '< not a tag' },
    ]);
  });
});

describe('markdownToBlocks', () => {
  it('keeps headings, lists with depth, tables as rows and fenced code', () => {
    const markdown = [
      'Title',
      '=====',
      '',
      'Intro with a [link](http://example.org) and **bold** `code`.',
      'Second line.',
      '',
      '## Steps',
      '- one',
      '  - nested',
      '1. numbered',
      '',
      '| Name | Size |',
      '|------|-----:|',
      '| a    | 1    |',
      '',
      '```ts',
      'const x = 1;',
      '```',
      '> quoted',
    ].join('\n');
    expect(markdownToBlocks(markdown)).toEqual([
      { kind: 'heading', text: 'Title', level: 1 },
      { kind: 'paragraph', text: 'Intro with a link and bold code.\nSecond line.' },
      { kind: 'heading', text: 'Steps', level: 2 },
      { kind: 'list-item', text: 'one', level: 1 },
      { kind: 'list-item', text: 'nested', level: 2 },
      { kind: 'list-item', text: 'numbered', level: 1 },
      { kind: 'table-row', text: 'Name | Size' },
      { kind: 'table-row', text: 'a | 1' },
      { kind: 'code', text: 'const x = 1;' },
      { kind: 'paragraph', text: 'quoted' },
    ]);
  });

  it('decodes entities, resolves reference links, keeps the text of HTML blocks and of stray brackets', () => {
    const markdown = [
      'Caf&eacute; &amp; tea, [see the guide][guide], \\*not emphasis\\*.',
      '',
      '[guide]: https://example.org/guide',
      '',
      '| Step | Note |',
      '|------|------|',
      '| 1<br>2 | ok |',
      '',
      '    indented code',
      '',
      '<div align="center">Centred <b>text</b></div>',
      '',
      '[a] [b]( ![c',
    ].join('\n');
    expect(markdownToBlocks(markdown)).toEqual([
      { kind: 'paragraph', text: 'Café & tea, see the guide, *not emphasis*.' },
      { kind: 'table-row', text: 'Step | Note' },
      { kind: 'table-row', text: '1 2 | ok' },
      { kind: 'code', text: 'indented code' },
      { kind: 'paragraph', text: 'Centred text' },
      { kind: 'paragraph', text: '[a] [b]( ![c' },
    ]);
  });
});

describe('plainToBlocks', () => {
  it('splits paragraphs at blank lines and counts characters', () => {
    let counted = 0;
    const blocks = plainToBlocks('第一段。\r\n第二行\n\n  \nSecond paragraph.\n', (n) => (counted += n));
    expect(blocks).toEqual([
      { kind: 'paragraph', text: '第一段。\n第二行' },
      { kind: 'paragraph', text: 'Second paragraph.' },
    ]);
    expect(counted).toBe('第一段。\n第二行'.length + 'Second paragraph.'.length);
  });
});

describe('cleanDocument', () => {
  it('removes NULs and control characters, repairs lone surrogates, drops blocks left empty', () => {
    const parsed = cleanDocument({
      mediaType: 'text/plain',
      charCount: 0,
      blocks: [
        { kind: 'paragraph', text: 'a\u0000b\tc\u0007\r\nd\fe' },
        { kind: 'paragraph', text: 'x\ud800y \udc00 😀' },
        { kind: 'paragraph', text: '\u0000\u0001 ' },
      ],
    });
    expect(parsed.blocks).toEqual([
      { kind: 'paragraph', text: 'ab\tc\nd\ne' },
      { kind: 'paragraph', text: 'x\ufffdy \ufffd 😀' },
    ]);
    expect(parsed.charCount).toBe('ab\tc\nd\ne'.length + 'x\ufffdy \ufffd 😀'.length);
  });
});
