/**
 * The most recent turns of the conversation that fit a token budget. The oldest go first: a follow-up question
 * almost always refers to what was said last. Contiguous from the newest turn: a gap would make the dialogue read
 * wrongly. A turn costs its question and answer as chat messages; the data markers put around the question later
 * are left out, so the choice does not depend on the random marker code (the worst-case estimate relies on that).
 */
import type { HistoryTurn } from '../../../../contracts/answer-generation.ts';
import { withoutCitations } from '../citations.ts';
import { messageTokens } from './prompt-tokens.ts';

/** The answer as it is given back: its [n] pointed at passages of another turn and would mislead the model. */
export const historyAnswer = (turn: HistoryTurn) => withoutCitations(turn.answer);

export function recentHistory(history: readonly HistoryTurn[], budget: number): HistoryTurn[] {
  const kept: HistoryTurn[] = [];
  let used = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i]!;
    const cost =
      messageTokens({ role: 'user', content: turn.question }) +
      messageTokens({ role: 'assistant', content: historyAnswer(turn) });
    if (used + cost > budget) break;
    used += cost;
    kept.unshift(turn);
  }
  return kept;
}
