/**
 * Usage counted here with the tokenizer, for a provider that reports none, for a stopped or broken stream (the
 * provider sends its counts only at the end), and for the extractive answerer.
 */
import type { GenerationUsage } from '../../../contracts/answer-generation.ts';
import { countTokens } from '../../ingestion/chunking/index.ts';

export const localUsage = (promptTokens: number, completion: string): GenerationUsage => ({
  promptTokens,
  completionTokens: countTokens(completion),
  reported: false,
});
