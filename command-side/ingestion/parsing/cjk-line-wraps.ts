/**
 * Chinese and Japanese put no space between words, so a line that wrapped inside a sentence must join the next one
 * with nothing: kept as a line break it showed as a space in excerpts and citations ("非 常多") and split the
 * words either side of it for the keyword index. Applied to Markdown soft breaks (wrapped by the author) and to PDF
 * lines (wrapped by the layout). A line ending a sentence (。！？) keeps its break, and so does Korean, which spaces
 * its words.
 */
import { CJK } from '../../../contracts/text-tokens.ts';

/** Chinese characters and kana, and the katakana long-vowel mark, which belongs to the word before it. */
const CJK_LETTER = `${CJK}ー`;
const WRAPS_BEFORE = new RegExp(`[${CJK_LETTER}，、]$`, 'u');
const WRAPS_AFTER = new RegExp(`^[${CJK_LETTER}]`, 'u');

/**
 * A PDF line shorter than this share of the next one did not wrap: it ended early, as a heading or a list item
 * does, and a wrapped line fills the column.
 */
const FULL_LINE_SHARE = 0.8;

/** Whether a line ending in `before` and a line starting with `after` are one run of CJK text. */
export const wrapsInsideCjk = (before: string, after: string): boolean =>
  WRAPS_BEFORE.test(before.slice(-2)) && WRAPS_AFTER.test(after);

/** PDF page text with the line breaks that wrapped a run of CJK text removed; other lines and blank lines stay. */
export function joinWrappedCjkLines(text: string): string {
  const lines = text.split('\n');
  let out = lines[0] ?? '';
  for (let i = 1; i < lines.length; i++) {
    const previous = lines[i - 1]!.trim();
    const line = lines[i]!.trim();
    const wrapped = previous.length >= FULL_LINE_SHARE * line.length && wrapsInsideCjk(previous, line);
    out = wrapped ? out.trimEnd() + line : `${out}\n${lines[i]}`;
  }
  return out;
}
