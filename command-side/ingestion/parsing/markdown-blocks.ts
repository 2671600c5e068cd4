/**
 * Markdown to blocks with markdown-it (CommonMark plus pipe tables): ATX and setext headings, paragraphs, list items
 * with their nesting depth, one block per table row, fenced and indented code; HTML blocks go through htmlToBlocks.
 * Inline markup is reduced to its text (links keep their label, images their alt text, entities are decoded) because
 * chunks are read by people and by a keyword index, not rendered. Blocks nested deeper than markdown-it's maxNesting
 * (100 levels: 50 nested lists) are dropped by markdown-it; that limit keeps its recursion off the stack's end.
 */
import MarkdownIt, { type Token } from 'markdown-it';
import { wrapsInsideCjk } from './cjk-line-wraps.ts';
import { htmlToBlocks } from './html-blocks.ts';
import type { Block } from './types.ts';

const markdown = new MarkdownIt('default', { html: true, linkify: false, typographer: false });
// Inline content is parsed one block at a time below and then dropped: keeping every block's inline tokens until
// the end took a third more memory (a 5 MB file: 254 MiB instead of 185 MiB).
markdown.core.ruler.disable('inline');

function inlineText(tokens: Token[], lineBreak: string): string {
  let text = '';
  let softBreak = false;
  for (const token of tokens) {
    if (token.type === 'softbreak') {
      softBreak = true;
      continue;
    }
    const isText = token.type === 'text' || token.type === 'text_special' || token.type === 'code_inline';
    if (softBreak && !(isText && wrapsInsideCjk(text, token.content))) text += lineBreak;
    softBreak = false;
    if (isText) text += token.content;
    else if (token.type === 'hardbreak') text += lineBreak;
    // Other inline HTML is dropped, its text kept; a <br> between words must still part them.
    else if (token.type === 'html_inline' && /^<br\b/i.test(token.content)) text += lineBreak;
    else if (token.type === 'image') text += inlineText(token.children ?? [], lineBreak);
  }
  return text;
}

export function markdownToBlocks(source: string, onText: (chars: number) => void = () => {}): Block[] {
  const blocks: Block[] = [];
  const env = {};
  let heading = 0;
  let lastHeading = 0;
  let listDepth = 0;
  let row: string[] | null = null;

  const push = (block: Block) => {
    if (block.text === '') return;
    onText(block.text.length);
    blocks.push(block);
  };
  /** Line breaks are kept inside paragraphs only, as in plain text. */
  const text = (content: string, lineBreak: string) => {
    const tokens: Token[] = [];
    markdown.inline.parse(content, markdown, env, tokens);
    return inlineText(tokens, lineBreak).trim();
  };

  for (const token of markdown.parse(source, env)) {
    switch (token.type) {
      case 'heading_open':
        heading = lastHeading = Number(token.tag.slice(1));
        break;
      case 'heading_close':
        heading = 0;
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        listDepth++;
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        listDepth--;
        break;
      case 'tr_open':
        row = [];
        break;
      case 'tr_close':
        push({ kind: 'table-row', text: (row ?? []).filter((cell) => cell !== '').join(' | ') });
        row = null;
        break;
      case 'fence':
      case 'code_block':
        push({ kind: 'code', text: token.content.trimEnd() });
        break;
      case 'html_block':
        htmlToBlocks(token.content, () => {}, lastHeading).forEach(push);
        break;
      case 'inline':
        if (row) row.push(text(token.content, ' '));
        else if (heading > 0) push({ kind: 'heading', text: text(token.content, ' '), level: heading });
        else if (listDepth > 0) push({ kind: 'list-item', text: text(token.content, ' '), level: listDepth });
        else push({ kind: 'paragraph', text: text(token.content, '\n') });
        break;
    }
  }
  return blocks;
}
