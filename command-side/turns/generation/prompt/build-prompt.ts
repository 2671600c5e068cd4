/**
 * The chat messages of one answer: the rules (system), the recent conversation within its budget, then one user
 * message with the passages and the question inside data markers, followed by a closing reminder of the task.
 */
import type { ContextPassage, HistoryTurn } from '../../../../contracts/answer-generation.ts';
import type { ChatMessage } from './chat-message.ts';
import { fitPassages } from './context-budget.ts';
import { delimitersFor, randomNonce, type DataDelimiters } from './data-delimiters.ts';
import { historyAnswer, recentHistory } from './history-budget.ts';
import { closingInstruction, CONTEXT, QUESTION, systemPrompt } from './system-prompt.ts';

export interface PromptBudgets {
  /** Tokens for the passage blocks. */
  contextTokens: number;
  /** Tokens for the earlier turns. */
  historyTokens: number;
}

export interface PromptInput {
  question: string;
  history: readonly HistoryTurn[];
  passages: readonly ContextPassage[];
}

export interface BuiltPrompt {
  messages: ChatMessage[];
  /** Passages the model sees (those past the context budget are left out). */
  includedPassages: number[];
  /** The code of this prompt's data markers. */
  nonce: string;
}

export const NO_PASSAGES = '(No passages were found for this question.)';

const questionBlock = (question: string, marks: DataDelimiters) =>
  [marks.open(QUESTION), question, marks.close(QUESTION)].join('\n');

/** Everything that came from users or documents, which the markers' code must not occur in. */
const dataOf = (input: PromptInput): string[] => [
  input.question,
  ...input.history.flatMap((turn) => [turn.question, turn.answer]),
  ...input.passages.flatMap((passage) => [passage.text, passage.documentTitle]),
];

export function buildPrompt(input: PromptInput, budgets: PromptBudgets, nextNonce = randomNonce): BuiltPrompt {
  const marks = delimitersFor(dataOf(input), nextNonce);
  const context = fitPassages(input.passages, budgets.contextTokens, marks);
  const history = recentHistory(input.history, budgets.historyTokens).flatMap((turn): ChatMessage[] => [
    { role: 'user', content: questionBlock(turn.question, marks) },
    { role: 'assistant', content: historyAnswer(turn) },
  ]);
  const passages = context.blocks.length ? context.blocks : [NO_PASSAGES];
  const contextBlock = [marks.open(CONTEXT), ...passages, marks.close(CONTEXT)];
  const user = [...contextBlock, '', questionBlock(input.question, marks), '', closingInstruction(marks)].join('\n');
  return {
    messages: [{ role: 'system', content: systemPrompt(marks) }, ...history, { role: 'user', content: user }],
    includedPassages: context.included,
    nonce: marks.nonce,
  };
}
