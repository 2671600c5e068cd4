/**
 * Public API of answer generation (the AnswerGenerator port of contracts/answer-generation.ts): a language model
 * behind an OpenAI-compatible server, or the extractive answerer when there is none. The composition root picks
 * one from config and hands it to the turn saga.
 */
export {
  createOpenAiAnswerGenerator,
  DEFAULT_PROMPT_BUDGETS,
  type OpenAiAnswerGeneratorOptions,
} from './openai/openai-answer-generator.ts';
export { createOffThreadAnswerGenerator, type ClosableAnswerGenerator } from './off-thread/off-thread-answer-generator.ts';
export { createExtractiveAnswerer, type ExtractiveAnswererOptions } from './extractive/extractive-answerer.ts';
export { buildPrompt, type BuiltPrompt, type PromptBudgets } from './prompt/build-prompt.ts';
export { estimatePromptTokens } from './prompt/prompt-tokens.ts';
export { worstCasePromptTokens } from './prompt/worst-case-prompt-tokens.ts';
export { citedPassageNumbers } from './citations.ts';
