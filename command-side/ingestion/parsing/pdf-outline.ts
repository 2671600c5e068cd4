/**
 * Headings for PDFs from their outline (bookmarks). pdf.js gives page text as lines with no notion of headings;
 * the outline names them in document order. A line is a heading when it equals the next expected outline title
 * (section numbering such as "2.1" or "Chapter 3" aside). Table-of-contents lines carry dot leaders or page numbers
 * and never equal a title; running headers come after the heading they repeat, and matching moves forward only.
 */
import type { Block } from './types.ts';

export interface OutlineItem {
  title: string;
  items?: OutlineItem[] | null;
}

interface Expected {
  title: string;
  level: number;
}

const LOOKAHEAD = 4;
const normal = (text: string) => text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
const withoutNumbering = (text: string) =>
  text.replace(/^(?:(?:chapter|section|appendix|part)\s+)?(?:\d+|[A-Z]|[IVXLC]+)(?:\.\d+)*\.?\s+(?=\S)/i, '');

function flatten(items: OutlineItem[], level: number, into: Expected[]): Expected[] {
  for (const item of items) {
    const title = normal(withoutNumbering(item.title ?? ''));
    if (title !== '') into.push({ title, level: Math.min(level, 6) });
    if (item.items && item.items.length > 0) flatten(item.items, level + 1, into);
  }
  return into;
}

/** Splits page texts into paragraphs and outline headings; stateful across pages, in page order. */
export function createOutlineReader(outline: OutlineItem[] | null | undefined) {
  const expected = flatten(outline ?? [], 1, []);
  let next = 0;

  const headingLevel = (line: string): number | undefined => {
    const candidate = normal(withoutNumbering(line));
    if (candidate === '' || candidate.length > 200) return undefined;
    for (let k = next; k < Math.min(next + LOOKAHEAD, expected.length); k++) {
      if (expected[k]!.title === candidate) {
        next = k + 1;
        return expected[k]!.level;
      }
    }
    return undefined;
  };

  return (text: string, page: number, toParagraphs: (text: string) => Block[]): Block[] => {
    if (expected.length === 0) return toParagraphs(text).map((block) => ({ ...block, page }));
    const blocks: Block[] = [];
    let lines: string[] = [];
    const flush = () => {
      for (const block of toParagraphs(lines.join('\n'))) blocks.push({ ...block, page });
      lines = [];
    };
    for (const line of text.split('\n')) {
      const level = headingLevel(line);
      if (level === undefined) {
        lines.push(line);
        continue;
      }
      flush();
      blocks.push({ kind: 'heading', text: line.trim(), level, page });
    }
    flush();
    return blocks;
  };
}
