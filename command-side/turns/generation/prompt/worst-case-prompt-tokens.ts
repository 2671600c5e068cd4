/**
 * The most prompt tokens buildPrompt can produce for a question and its history, whatever passages retrieval finds
 * later: the prompt without passages, plus the whole context budget, plus the most the random marker code can cost.
 * The saga reserves (this + maxTokens) before it retrieves; the real prompt is never larger.
 */
import type { PromptEstimateInput } from '../../../../contracts/answer-generation.ts';
import { buildPrompt, type PromptBudgets } from './build-prompt.ts';
import { NONCE_LENGTH, randomNonce } from './data-delimiters.ts';
import { estimatePromptTokens } from './prompt-tokens.ts';

/** Stands for the code while counting (a random one in the rare case the data holds it); its tokens count too. */
const PROBE = 'q'.repeat(NONCE_LENGTH);
/**
 * A code of n characters is at most n tokens, and can change how the text on either side of it merges by one token
 * each. Line breaks between passage blocks are budgeted; the breaks around the whole context get these few tokens.
 */
const CODE_COST = NONCE_LENGTH + 2;
const CONTEXT_EDGES = 4;

export function worstCasePromptTokens(input: PromptEstimateInput, budgets: PromptBudgets): number {
  const codes = [PROBE];
  const probe = buildPrompt({ ...input, passages: [] }, budgets, () => codes.shift() ?? randomNonce());
  const occurrences = probe.messages.reduce((sum, message) => sum + message.content.split(probe.nonce).length - 1, 0);
  return estimatePromptTokens(probe.messages) + occurrences * CODE_COST + budgets.contextTokens + CONTEXT_EDGES;
}
