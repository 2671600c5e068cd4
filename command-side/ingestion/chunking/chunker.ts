/**
 * Structure-aware chunking, block by block. A chunk never crosses a top-level heading; a deeper heading starts
 * a new chunk too unless the current one is still small, in which case the subsection joins it with its heading
 * inline. Every chunk carries its heading path. Paragraphs are packed sentence by sentence, list items and table
 * rows one per unit, within the size limit (checked on the final text); consecutive chunks of one section share
 * about overlapTokens of text. Pure and deterministic.
 */
import type { Block } from '../parsing/types.ts';
import { fits, measure, plus, ZERO, type Size } from './budget.ts';
import { validateChunkOptions, type ChunkOptions } from './options.ts';
import { sentencePieces, tailWithin } from './pieces.ts';

export interface Chunk {
  index: number;
  text: string;
  /** Headings above the chunk, outermost first. */
  headingPath: string[];
  tokenCount: number;
  /** First and last page the text comes from (PDF). */
  page?: number;
  pageEnd?: number;
}

interface Unit {
  text: string;
  size: Size;
  block: number;
  path: string[];
  page?: number;
}

const MAX_HEADING_CHARS = 200;

const join = (units: Unit[]) =>
  units
    .map((unit, i) => (i > 0 && units[i - 1]!.block !== unit.block ? `\n${unit.text}` : unit.text))
    .join('')
    .trim();

/**
 * The chunk's text: its units, led by the headings of its first unit that its heading path (the common prefix) no
 * longer shows. When small subsections join one chunk, the later headings are inline text already, but the first
 * one's would be in neither the text nor the path (an FAQ with short answers lost its first question).
 */
const render = (units: Unit[]) => {
  const lost = units[0]!.path.slice(commonPrefix(units.map((u) => u.path)).length);
  const body = join(units);
  return lost.length > 0 ? `${lost.join('\n')}\n${body}` : body;
};

/** Pieces of one block join as they were written; blocks join with a newline, about one token. */
const joinTokens = (previous: Unit | undefined, unit: Unit) => (previous && previous.block !== unit.block ? 1 : 0);

const commonPrefix = (paths: string[][]): string[] => {
  const first = paths[0] ?? [];
  let length = first.length;
  for (const path of paths) {
    let i = 0;
    while (i < length && path[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length);
};

export interface Chunker {
  /** Feeds the next block in document order; a long block may come in consecutive slices with one index. */
  add(block: Block, index: number): void;
  /** Emits the last chunk and returns them all. */
  finish(): Chunk[];
}

/** `topLevel` is the smallest heading level of the document (1 when it has no headings). */
export function createChunker(options: ChunkOptions, topLevel: number): Chunker {
  const { maxTokens, maxCjkChars, overlapTokens } = validateChunkOptions(options);
  const limit: Size = { tokens: maxTokens, cjk: maxCjkChars };
  const overlapLimit: Size = { tokens: overlapTokens, cjk: Math.round((overlapTokens * maxCjkChars) / maxTokens) };
  const smallChunk = Math.floor(maxTokens / 4);
  const chunks: Chunk[] = [];
  let headings: { level: number; text: string }[] = [];
  let current: Unit[] = [];
  let fresh = 0; // units in `current` that are not overlap from the previous chunk
  let estimate: Size = ZERO;

  const overlapOf = (units: Unit[]): Unit[] => {
    const taken: Unit[] = [];
    let size = ZERO;
    for (let i = units.length - 1; i >= 0 && fits(plus(size, units[i]!.size), overlapLimit); i--) {
      taken.unshift(units[i]!);
      size = plus(size, units[i]!.size);
    }
    const last = units.at(-1);
    if (taken.length > 0 || !last || overlapTokens === 0) return taken;
    const tail = tailWithin(last.text, overlapLimit);
    const text = tail + last.text.slice(last.text.trimEnd().length);
    return tail === '' ? [] : [{ ...last, text, size: measure(text) }];
  };

  const reset = (overlap: Unit[]) => {
    current = overlap;
    fresh = 0;
    estimate = overlap.reduce((sum, u, i) => plus(sum, u.size, joinTokens(overlap[i - 1], u)), ZERO);
  };

  const emit = (carryOverlap: boolean) => {
    if (fresh === 0) return reset([]);
    const units = [...current];
    const spill: Unit[] = [];
    let overlapping = current.length - fresh;
    let text = render(units);
    let size = measure(text);
    // The running estimate can be a few tokens off at joins; the tokenizer has the last word. Give back new units
    // to the next chunk, or drop overlap, but never emit a chunk of overlap alone.
    while (!fits(size, limit) && units.length > 1) {
      if (units.length > overlapping + 1) spill.unshift(units.pop()!);
      else {
        units.shift();
        overlapping--;
      }
      text = render(units);
      size = measure(text);
    }
    if (!fits(size, limit)) {
      text = join(units);
      size = measure(text);
    }
    const pages = units.map((u) => u.page).filter((p): p is number => p !== undefined);
    const headingPath = commonPrefix(units.map((u) => u.path));
    const chunk: Chunk = { index: chunks.length, text, headingPath, tokenCount: size.tokens };
    if (pages.length > 0) Object.assign(chunk, { page: Math.min(...pages), pageEnd: Math.max(...pages) });
    chunks.push(chunk);
    reset(carryOverlap || spill.length > 0 ? overlapOf(units) : []);
    for (const unit of spill) add(unit);
  };

  const add = (unit: Unit) => {
    if (!fits(plus(estimate, unit.size, joinTokens(current.at(-1), unit)), limit)) {
      if (fresh > 0) emit(true);
      if (!fits(plus(estimate, unit.size, joinTokens(current.at(-1), unit)), limit)) reset([]);
    }
    estimate = plus(estimate, unit.size, joinTokens(current.at(-1), unit));
    current.push(unit);
    fresh++;
  };

  // One token of room for the newline that joins a unit to the previous block.
  const pieceLimit: Size = { tokens: maxTokens - 1, cjk: maxCjkChars };
  const addText = (text: string, block: number, page: number | undefined) => {
    const path = headings.map((h) => h.text);
    for (const { text: pieceText, size } of sentencePieces(text, pieceLimit)) {
      const unit: Unit = { text: pieceText, size, block, path };
      add(page === undefined ? unit : { ...unit, page });
    }
  };

  return {
    add(block, index) {
      if (block.kind !== 'heading') return addText(block.text, index, block.page);
      const level = block.level ?? 1;
      const inline = level > topLevel && fresh > 0 && estimate.tokens < smallChunk;
      if (!inline) emit(false);
      headings = [...headings.filter((h) => h.level < level), { level, text: block.text.slice(0, MAX_HEADING_CHARS) }];
      if (inline) addText(block.text, index, block.page);
    },
    finish() {
      emit(false);
      return chunks;
    },
  };
}
