/**
 * Prompt tokens of chat messages with the real tokenizer (o200k_base, shared with chunking). Chat formats wrap each
 * message in a few tokens of markup and prime the reply; OpenAI's published accounting is 3 per message plus its
 * role, and 3 for the reply. Other providers' tokenizers differ, so this is an estimate (see README).
 */
import { countTokens } from '../../../ingestion/chunking/index.ts';
import type { ChatMessage } from './chat-message.ts';

const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

/**
 * The system message of the worst-case estimate is the same long text for every question (its marker code is fixed):
 * counted once, not per question. A few texts are kept, for the variants a process sees (budgets, a forced code).
 */
const systemCounts = new Map<string, number>();
const SYSTEM_TEXTS_KEPT = 8;

function contentTokens(message: ChatMessage): number {
  if (message.role !== 'system') return countTokens(message.content);
  const count = systemCounts.get(message.content) ?? countTokens(message.content);
  // Least recently used first out (a prompt's random marker code makes texts seen once; the probe's stays in use).
  systemCounts.delete(message.content);
  systemCounts.set(message.content, count);
  if (systemCounts.size > SYSTEM_TEXTS_KEPT) systemCounts.delete(systemCounts.keys().next().value!);
  return count;
}

export const messageTokens = (message: ChatMessage): number => PER_MESSAGE + countTokens(message.role) + contentTokens(message);

export const estimatePromptTokens = (messages: readonly ChatMessage[]): number =>
  REPLY_PRIMING + messages.reduce((sum, message) => sum + messageTokens(message), 0);
