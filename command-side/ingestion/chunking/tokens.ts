/**
 * Token counts with a real tokenizer (o200k_base, the encoding of current OpenAI models). Special-token markers in
 * documents ("<|endoftext|>") are counted as plain text instead of throwing.
 */
import { countTokens as count } from 'gpt-tokenizer/encoding/o200k_base';

const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export const countTokens = (text: string): number => (text === '' ? 0 : count(text, PLAIN_TEXT));
