/**
 * HTML to blocks, for uploaded HTML, HTML inside Markdown and mammoth's DOCX output. htmlparser2's tokenizer reads
 * the markup (tags, attributes, raw-text elements, comments, every HTML character reference); this file keeps a flat
 * state, not a tree, because all we need are headings, paragraphs, list items (with depth), table rows (cells joined
 * by " | ") and preformatted code. htmlparser2's Parser is not used: its open-element stack is searched and unshifted
 * on every tag, so 100,000 nested <div>s took 8 s of CPU and 400,000 unclosed ones 64 s (README.md).
 * Scripts, styles and the like are dropped; nothing is ever fetched.
 */
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import type { Block, BlockKind } from './types.ts';

/** Elements whose content is not text for readers; skipped up to their first end tag. */
const SKIPPED = new Set([
  'script', 'style', 'title', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'noembed', 'noframes',
]);
const BREAKS = new Set([
  'p', 'div', 'blockquote', 'section', 'article', 'header', 'footer', 'main', 'nav', 'aside', 'figure',
  'figcaption', 'dl', 'dd', 'hr', 'caption', 'form', 'fieldset', 'address', 'details',
]);
/** mammoth's link from a footnote back to its reference: an arrow, not text. */
const FOOTNOTE_BACKLINK = /^#(?:foot|end)note-ref/i;

/**
 * Whitespace runs to one space. Only runs other than a lone space are replaced: replacing all 1,000,000 gaps of a
 * 5 MB line with /\s+/g took 1.8 s, this 30 ms.
 */
const collapse = (text: string): string => text.replace(/ \s+|[^\S ]\s*/g, ' ').trim();

/**
 * `outerHeading` is the level of the heading the HTML sits under (HTML blocks inside Markdown): a <dt> or <summary>
 * (FAQ questions) becomes a heading one level below the last <h1>…<h6> or outer heading.
 */
export function htmlToBlocks(html: string, onText: (chars: number) => void = () => {}, outerHeading = 0): Block[] {
  const blocks: Block[] = [];
  let buffer = '';
  let headingLevel = 0;
  let lastHeading = outerHeading;
  let listDepth = 0;
  let preDepth = 0;
  let row: string[] | null = null;
  let cell: string | null = null;
  let skipUntil: string | null = null;

  const emit = (kind: BlockKind, text: string, level?: number) => {
    if (text === '') return;
    onText(text.length);
    blocks.push(level === undefined ? { kind, text } : { kind, text, level });
  };
  const flush = () => {
    // trimEnd, not /\s+$/: that regex is quadratic in a long run of spaces before more text.
    if (preDepth > 0) emit('code', buffer.replace(/^\n+/, '').trimEnd());
    else {
      const text = collapse(buffer);
      if (headingLevel > 0) emit('heading', text, headingLevel);
      else if (listDepth > 0) emit('list-item', text, listDepth);
      else emit('paragraph', text);
    }
    buffer = '';
  };
  // End tags of cells and rows are optional: a cell also ends at the next cell, a row at the next row or the table's
  // end (or the document's).
  const endCell = () => {
    if (cell === null) return;
    (row ??= []).push(collapse(cell));
    cell = null;
  };
  const endRow = () => {
    endCell();
    if (row) emit('table-row', row.filter((c) => c !== '').join(' | '));
    row = null;
  };
  const text = (value: string) => {
    if (skipUntil !== null) return;
    if (cell !== null) cell += value;
    else buffer += value;
  };

  const tag = (name: string, closing: boolean, href: string) => {
    if (skipUntil !== null) {
      if (closing && name === skipUntil) skipUntil = null;
      return;
    }
    if (!closing && SKIPPED.has(name)) skipUntil = name;
    else if (/^h[1-6]$/.test(name)) {
      flush();
      headingLevel = closing ? 0 : Number(name[1]);
      if (!closing) lastHeading = headingLevel;
    } else if (name === 'dt' || name === 'summary') {
      flush();
      headingLevel = closing ? 0 : Math.min(6, lastHeading + 1);
    } else if (name === 'ul' || name === 'ol') {
      flush();
      listDepth = Math.max(0, listDepth + (closing ? -1 : 1));
    } else if (name === 'li') flush();
    else if (name === 'tr' || name === 'table') {
      endRow();
      flush();
    } else if (name === 'td' || name === 'th') {
      endCell();
      if (!closing) cell = '';
    } else if (name === 'pre') {
      flush();
      preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
    } else if (name === 'br') text(cell !== null ? ' ' : '\n');
    else if (name === 'a') {
      if (!closing && FOOTNOTE_BACKLINK.test(href)) skipUntil = 'a';
    } else if (BREAKS.has(name)) {
      if (cell !== null) cell += ' ';
      else if (listDepth > 0 && headingLevel === 0) buffer += ' ';
      else flush();
    }
  };

  new HtmlReader(html, tag, text).read();
  endRow();
  flush();
  return blocks;
}

/** Adapts the tokenizer's offsets to tag names, href values and decoded text. */
class HtmlReader implements TokenizerCallbacks {
  private name = '';
  private attribute = '';
  private href = '';

  constructor(
    private readonly html: string,
    private readonly onTag: (name: string, closing: boolean, href: string) => void,
    private readonly onText: (text: string) => void,
  ) {}

  read(): void {
    const tokenizer = new Tokenizer({ decodeEntities: true }, this);
    tokenizer.write(this.html);
    tokenizer.end();
  }

  onopentagname(start: number, end: number): void {
    this.name = this.html.slice(start, end).toLowerCase();
    this.href = '';
  }
  onattribname(start: number, end: number): void {
    this.attribute = this.html.slice(start, end).toLowerCase();
  }
  onattribdata(start: number, end: number): void {
    if (this.attribute === 'href') this.href += this.html.slice(start, end);
  }
  onattribentity(codePoint: number): void {
    if (this.attribute === 'href') this.href += String.fromCodePoint(codePoint);
  }
  onattribend(): void {
    this.attribute = '';
  }
  onopentagend(): void {
    this.onTag(this.name, false, this.href);
  }
  // HTML has no self-closing tags: <p/> opens a paragraph, as in a browser.
  onselfclosingtag(): void {
    this.onTag(this.name, false, this.href);
  }
  onclosetag(start: number, end: number): void {
    this.onTag(this.html.slice(start, end).toLowerCase(), true, '');
  }
  ontext(start: number, end: number): void {
    this.onText(this.html.slice(start, end));
  }
  ontextentity(codePoint: number): void {
    this.onText(String.fromCodePoint(codePoint));
  }
  oncdata(): void {}
  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}
  onend(): void {}
}
