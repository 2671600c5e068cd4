/**
 * Prompt tokens of chat messages with the real tokenizer (o200k_base, shared with chunking). Chat formats wrap each
 * message in a few tokens of markup and prime the reply; OpenAI's published accounting is 3 per message plus its
 * role, and 3 for the reply. Other providers' tokenizers differ, so this is an estimate (see README).
 */
import { countTokens } from '../../../ingestion/chunking/index.ts';
import type { ChatMessage } from './chat-message.ts';

const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

export const messageTokens = (message: ChatMessage): number =>
  PER_MESSAGE + countTokens(message.role) + countTokens(message.content);

export const estimatePromptTokens = (messages: readonly ChatMessage[]): number =>
  REPLY_PRIMING + messages.reduce((sum, message) => sum + messageTokens(message), 0);
