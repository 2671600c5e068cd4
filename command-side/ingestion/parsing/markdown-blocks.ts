/**
 * Markdown to blocks, line by line: ATX and setext headings, fenced code, pipe tables (one block per row), list items
 * with their nesting depth, paragraphs. Inline markup is reduced to its text (links keep their label, images their
 * alt text) because chunks are read by people and by a keyword index, not rendered.
 */
import type { Block } from './types.ts';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const SETEXT = /^ {0,3}(=+|-+)\s*$/;
const RULE = /^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$/;
const ITEM = /^(\s*)(?:[-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$/;

export function markdownInline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)([^*_]*?\S)\1/g, '$2')
    .replace(/<\/?[a-zA-Z][^>]*>/g, '')
    .trim();
}

const tableCells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => markdownInline(cell.trim()))
    .filter((cell) => cell !== '');

export function markdownToBlocks(markdown: string, onText: (chars: number) => void = () => {}): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let item: { text: string[]; level: number } | null = null;

  const push = (block: Block) => {
    if (block.text === '') return;
    onText(block.text.length);
    blocks.push(block);
  };
  const flush = () => {
    if (item) push({ kind: 'list-item', text: markdownInline(item.text.join(' ')), level: item.level });
    if (paragraph.length > 0) push({ kind: 'paragraph', text: markdownInline(paragraph.join('\n')) });
    item = null;
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      const closing = fence[1]!;
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(closing); i++) code.push(lines[i]!);
      push({ kind: 'code', text: code.join('\n').replace(/\s+$/, '') });
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flush();
      push({ kind: 'heading', text: markdownInline(atx[2] ?? ''), level: atx[1]!.length });
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext && paragraph.length > 0 && !item) {
      const text = markdownInline(paragraph.join(' '));
      paragraph = [];
      push({ kind: 'heading', text, level: setext[1]!.startsWith('=') ? 1 : 2 });
      continue;
    }
    if (RULE.test(line)) {
      flush();
      continue;
    }
    if (line.includes('|') && TABLE_SEPARATOR.test(lines[i + 1] ?? '')) {
      flush();
      push({ kind: 'table-row', text: tableCells(line).join(' | ') });
      for (i += 2; i < lines.length && lines[i]!.includes('|') && lines[i]!.trim() !== ''; i++) {
        push({ kind: 'table-row', text: tableCells(lines[i]!).join(' | ') });
      }
      i--;
      continue;
    }
    const listItem = ITEM.exec(line);
    if (listItem) {
      flush();
      item = { text: [listItem[2]!], level: Math.floor(listItem[1]!.replace(/\t/g, '    ').length / 2) + 1 };
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const text = line.replace(/^ {0,3}>\s?/, '').trim();
    if (item) item.text.push(text);
    else paragraph.push(text);
  }
  flush();
  return blocks;
}
