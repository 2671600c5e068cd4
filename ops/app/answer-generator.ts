/**
 * The answer generator the deployment asks for, from the configuration: a chat model behind an OpenAI-compatible
 * server when OPENAI_BASE_URL or OPENAI_API_KEY is set (the rule the embedder follows, so a local server such as
 * Ollama or vLLM needs no key), otherwise the offline extractive answerer, billed as EXTRACTIVE_MODEL. The chat model
 * is streamed in a thread of its own (start() it where the saga runs, close() it when the process ends).
 */
import { OPENAI_DEFAULT_BASE_URL } from '../../command-side/ingestion/embedding/create-embedder.ts';
import {
  createExtractiveAnswerer,
  createOffThreadAnswerGenerator,
  type ClosableAnswerGenerator,
} from '../../command-side/turns/generation/index.ts';
import type { AnswerGenerator } from '../../contracts/answer-generation.ts';
import { EXTRACTIVE_MODEL, type Config } from '../config/config.ts';

export const usesChatModel = (config: Config): boolean => Boolean(config.OPENAI_BASE_URL || config.OPENAI_API_KEY);

export function answerGeneratorOf(config: Config): AnswerGenerator & Partial<Pick<ClosableAnswerGenerator, 'start' | 'close'>> {
  const maxOutputTokens = config.CHAT_MAX_OUTPUT_TOKENS;
  if (!usesChatModel(config)) return createExtractiveAnswerer({ model: EXTRACTIVE_MODEL, maxOutputTokens });
  return createOffThreadAnswerGenerator({
    baseURL: config.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL,
    // Local servers take any key; the client insists on one.
    apiKey: config.OPENAI_API_KEY ?? 'none',
    model: config.CHAT_MODEL,
    maxOutputTokens,
    firstTokenTimeoutMs: config.CHAT_FIRST_TOKEN_TIMEOUT_MS,
    idleTimeoutMs: config.CHAT_STALL_TIMEOUT_MS,
  });
}
