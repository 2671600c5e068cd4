/**
 * Cuts a very long block (a 5 MB text file without blank lines is one paragraph) into slices of about 8k
 * characters at sentence ends, so no step of chunking works on more than a slice at once.
 */
import type { Block } from '../parsing/types.ts';

const SLICE = 8192;
const SENTENCE_END = /[.!?]["'”’)\]]*\s+|[。！？；][”’」』）)\]"']*\s*/g;

function cutPoint(text: string, from: number): number {
  const window = text.slice(from + SLICE / 2, from + SLICE);
  let cut = -1;
  for (const match of window.matchAll(SENTENCE_END)) cut = match.index + match[0].length;
  if (cut < 0) {
    const space = window.search(/\s\S*$/);
    cut = space >= 0 ? space + 1 : window.length;
  }
  let at = from + SLICE / 2 + cut;
  if (/[\uDC00-\uDFFF]/.test(text[at] ?? '')) at++;
  return at;
}

export function blockSlices(block: Block): Block[] {
  if (block.kind === 'heading' || block.text.length <= SLICE) return [block];
  const slices: Block[] = [];
  let from = 0;
  while (block.text.length - from > SLICE) {
    const to = cutPoint(block.text, from);
    slices.push({ ...block, text: block.text.slice(from, to) });
    from = to;
  }
  slices.push({ ...block, text: block.text.slice(from) });
  return slices;
}
