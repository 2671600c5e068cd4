/**
 * Cuts text into pieces that each fit a size limit, preferring the largest natural unit: sentences (English
 * . ! ? before a space; Chinese 。！？； with no space needed), then clauses and lines, then words, then groups of
 * whole code points (never a cut inside a surrogate pair). Pieces keep their trailing whitespace, so joining them
 * gives back the text. Plain regular expressions only: Intl.Segmenter has a cliff on long strings.
 */
import { cjkCount, fits, measure, type Size } from './budget.ts';

export interface Piece {
  text: string;
  size: Size;
}

const SENTENCE_END = /[.!?]+["'”’)\]]*\s+|[。！？；!?]+[”’」』）)\]"']*\s*|\n{2,}/g;
const CLAUSE_END = /[，,、：:;]+\s*|\n+/g;
const WORD_END = /\s+/g;
const LEVELS = [SENTENCE_END, CLAUSE_END, WORD_END];

function splitAfter(text: string, boundary: RegExp): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const match of text.matchAll(boundary)) {
    const end = match.index + match[0].length;
    if (end > start && end < text.length) {
      parts.push(text.slice(start, end));
      start = end;
    }
  }
  parts.push(text.slice(start));
  return parts.filter((part) => part !== '');
}

function codePointGroups(text: string, limit: Size, groupSize: number): Piece[] {
  const points = Array.from(text);
  const pieces: Piece[] = [];
  for (let i = 0; i < points.length; i += groupSize) {
    const group = points.slice(i, i + groupSize).join('');
    const size = groupSize === 1 ? measure(group) : sizeWithin(group, limit);
    if (size) pieces.push({ text: group, size });
    else pieces.push(...codePointGroups(group, limit, Math.max(1, groupSize >> 1)));
  }
  return pieces;
}

/**
 * No tokenizer packs this many characters into a token on average, so a longer text cannot fit and is not
 * tokenized: byte-pair merging costs time quadratic in the length of one run of letters or CJK characters (one
 * 8k-character run of Chinese without punctuation took seconds).
 */
const MAX_CHARS_PER_TOKEN = 16;

/** The text's size when it may fit the limit, undefined when cheap counts already show it cannot. */
function sizeWithin(text: string, limit: Size): Size | undefined {
  if (text.length > limit.tokens * MAX_CHARS_PER_TOKEN || cjkCount(text) > limit.cjk) return undefined;
  const size = measure(text);
  return fits(size, limit) ? size : undefined;
}

/**
 * Parts shorter than this join the parts after them into one piece. Each tokenizer call has a fixed cost, so a
 * text of tiny parts (single words, lines of one letter, sentences of one punctuation mark) measured part by part
 * took seconds; a sentence is kept whole unless it is shorter than any real one, as the chunker packs and overlaps
 * whole sentences.
 */
const MIN_SENTENCE_CHARS = 12;
const MIN_PART_CHARS = 48;

/** Consecutive parts, grouped until each group holds at least `minChars` characters (the last may hold fewer). */
function groupTiny(parts: string[], minChars: number): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let chars = 0;
  for (const part of parts) {
    group.push(part);
    chars += part.length;
    if (chars >= minChars) {
      groups.push(group);
      group = [];
      chars = 0;
    }
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** Each part as a piece when it fits, else cut at the next level; a group that does not fit is cut part by part. */
function fitParts(parts: string[], limit: Size, level: number): Piece[] {
  const pieces: Piece[] = [];
  for (const group of groupTiny(parts, level === 1 ? MIN_SENTENCE_CHARS : MIN_PART_CHARS)) {
    const text = group.join('');
    const size = group.length > 1 ? sizeWithin(text, limit) : undefined;
    if (size) pieces.push({ text, size });
    else for (const part of group) pieces.push(...fit(part, limit, level));
  }
  return pieces;
}

function fit(text: string, limit: Size, level: number): Piece[] {
  const size = sizeWithin(text, limit);
  if (size) return [{ text, size }];
  const boundary = LEVELS[level];
  if (!boundary) return codePointGroups(text, limit, Math.max(1, Math.floor(Math.min(limit.tokens, limit.cjk) / 4)));
  const parts = splitAfter(text, boundary);
  if (parts.length === 1) return fit(text, limit, level + 1);
  return fitParts(parts, limit, level + 1);
}

/** Sentences of a text (tiny ones grouped), each cut further only when it alone exceeds the limit. */
export function sentencePieces(text: string, limit: Size): Piece[] {
  return fitParts(splitAfter(text, SENTENCE_END), limit, 1);
}

/** The longest end of `text` within `limit`, starting at a word, clause or sentence boundary when one is near. */
export function tailWithin(text: string, limit: Size): string {
  const trimmed = text.trimEnd();
  let low = 0;
  let high = trimmed.length;
  // Smallest start index whose tail fits.
  while (low < high) {
    const mid = (low + high) >> 1;
    if (fits(measure(trimmed.slice(mid)), limit)) high = mid;
    else low = mid + 1;
  }
  let start = low;
  if (start > 0 && start < trimmed.length && /[\uDC00-\uDFFF]/.test(trimmed[start]!)) start++;
  const rest = trimmed.slice(start);
  if (start === 0) return rest;
  // Prefer to begin after a boundary in the first half of the tail rather than mid-word.
  const boundary = /[。！？；，、.!?;,:]\s*|\s+/.exec(rest);
  const after = boundary ? boundary.index + boundary[0].length : rest.length;
  return after <= rest.length / 2 ? rest.slice(after) : rest;
}
