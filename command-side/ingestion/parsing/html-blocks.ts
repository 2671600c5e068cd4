/**
 * HTML to blocks, for uploaded HTML and for mammoth's DOCX output. A tolerant tag scanner, not a DOM: we only need
 * headings, paragraphs, list items (with depth), table rows (cells joined by " | ") and preformatted code. Scripts,
 * styles and comments are dropped; nothing is ever fetched.
 */
import { decodeEntities } from './html-entities.ts';
import type { Block, BlockKind } from './types.ts';

const DROPPED = /<!--[\s\S]*?(?:-->|$)|<(script|style|noscript|template|head|svg|math|iframe|object)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const TOKEN = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>|<![^>]*>|<\?[^>]*>|([^<]+)|</g;
const BREAKS = new Set([
  'p', 'div', 'blockquote', 'section', 'article', 'header', 'footer', 'main', 'nav', 'aside', 'figure',
  'figcaption', 'dl', 'dt', 'dd', 'hr', 'table', 'caption', 'form', 'fieldset', 'address', 'details', 'summary',
]);
const FOOTNOTE_BACKLINK = /href\s*=\s*["']#(?:foot|end)note-ref/i;

export function htmlToBlocks(html: string, onText: (chars: number) => void = () => {}): Block[] {
  const blocks: Block[] = [];
  let buffer = '';
  let headingLevel = 0;
  let listDepth = 0;
  let preDepth = 0;
  let row: string[] | null = null;
  let cell: string | null = null;
  let skipping = false;

  const emit = (kind: BlockKind, text: string, level?: number) => {
    if (text === '') return;
    onText(text.length);
    blocks.push(level === undefined ? { kind, text } : { kind, text, level });
  };
  const flush = () => {
    if (preDepth > 0) emit('code', buffer.replace(/^\n+|\s+$/g, ''));
    else {
      const text = buffer.replace(/\s+/g, ' ').trim();
      if (headingLevel > 0) emit('heading', text, headingLevel);
      else if (listDepth > 0) emit('list-item', text, listDepth);
      else emit('paragraph', text);
    }
    buffer = '';
  };
  const separate = () => {
    if (cell !== null) cell += ' ';
    else if (listDepth > 0 && headingLevel === 0) buffer += ' ';
    else flush();
  };

  for (const match of html.replace(DROPPED, ' ').matchAll(TOKEN)) {
    const [, slash, rawName, attributes, text] = match;
    if (text !== undefined || match[0] === '<') {
      if (skipping) continue;
      const decoded = decodeEntities(text ?? '<');
      if (cell !== null) cell += decoded;
      else buffer += decoded;
      continue;
    }
    if (rawName === undefined) continue;
    const name = rawName.toLowerCase();
    const closing = slash === '/';
    if (/^h[1-6]$/.test(name)) {
      flush();
      headingLevel = closing ? 0 : Number(name[1]);
    } else if (name === 'ul' || name === 'ol') {
      flush();
      listDepth = Math.max(0, listDepth + (closing ? -1 : 1));
    } else if (name === 'li') flush();
    else if (name === 'tr') {
      if (!closing) flush();
      else if (row) emit('table-row', row.filter((c) => c !== '').join(' | '));
      row = closing ? null : [];
    } else if (name === 'td' || name === 'th') {
      if (!closing) cell = '';
      else if (cell !== null) {
        (row ??= []).push(cell.replace(/\s+/g, ' ').trim());
        cell = null;
      }
    } else if (name === 'pre') {
      flush();
      preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
    } else if (name === 'br') {
      if (cell !== null) cell += ' ';
      else buffer += '\n';
    } else if (name === 'a') skipping = !closing && FOOTNOTE_BACKLINK.test(attributes ?? '');
    else if (BREAKS.has(name)) separate();
  }
  flush();
  return blocks;
}
