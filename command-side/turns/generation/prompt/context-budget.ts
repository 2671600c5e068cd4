/**
 * Passages in rank order as long as they fit the context's token budget, so that a prompt has a known largest size
 * before retrieval runs (the saga reserves for it). The first passage that does not fit is cut to the room left,
 * when that room is worth a passage, and nothing after it is taken. An edited chunk can be of any length.
 */
import type { ContextPassage } from '../../../../contracts/answer-generation.ts';
import { countTokens } from '../../../ingestion/chunking/index.ts';
import type { DataDelimiters } from './data-delimiters.ts';
import { passageLabel } from './system-prompt.ts';

/** Less room than this is not worth a cut passage. */
const MIN_CUT_TOKENS = 48;
const CUT_MARK = ' …';

export interface FittedContext {
  /** The passage blocks, one after another, each with its markers. */
  blocks: string[];
  /** Numbers of the passages in the blocks (the last one may be cut). */
  included: number[];
  /** Tokens of the blocks plus one per line break between them: never above the budget. */
  tokens: number;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export const passageBlock = (passage: ContextPassage, marks: DataDelimiters, text = passage.text): string =>
  [
    marks.open(passageLabel(passage.n)),
    `Document: ${oneLine(passage.documentTitle)}`,
    text,
    marks.close(passageLabel(passage.n)),
  ].join('\n');

/** The longest start of the passage (whole code points) whose block fits `room`, if any. */
function cutToFit(passage: ContextPassage, marks: DataDelimiters, room: number): string | undefined {
  const points = Array.from(passage.text);
  let low = 0;
  let high = points.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const text = points.slice(0, middle).join('') + CUT_MARK;
    if (countTokens(passageBlock(passage, marks, text)) <= room) low = middle;
    else high = middle - 1;
  }
  return low === 0 ? undefined : passageBlock(passage, marks, points.slice(0, low).join('') + CUT_MARK);
}

export function fitPassages(passages: readonly ContextPassage[], budget: number, marks: DataDelimiters): FittedContext {
  const fitted: FittedContext = { blocks: [], included: [], tokens: 0 };
  for (const passage of passages) {
    // One more token for the line break that joins this block to the previous one.
    const room = budget - fitted.tokens - 1;
    const block = passageBlock(passage, marks);
    const tokens = countTokens(block);
    if (tokens <= room) {
      fitted.blocks.push(block);
      fitted.included.push(passage.n);
      fitted.tokens += tokens + 1;
      continue;
    }
    const cut = room >= MIN_CUT_TOKENS ? cutToFit(passage, marks, room) : undefined;
    if (cut !== undefined) {
      fitted.blocks.push(cut);
      fitted.included.push(passage.n);
      fitted.tokens += countTokens(cut) + 1;
    }
    break;
  }
  return fitted;
}
