/**
 * OpenAI's chat completion and chunk shapes, built from a turn. The id is `chatcmpl-<turnId>`, so an answer is
 * found in the app and the audit by the id the client holds. Extensions, which OpenAI's clients pass through:
 * `citations` (the answer's sources, as in GraphQL's Citation, on the completion and on the chunk that finishes),
 * `conversation_id` (to continue the conversation) and `turn_status` on the finishing chunk.
 */
import type { Citation, TurnStatus } from '../../contracts/turns.ts';

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export const usageOf = (usage: { promptTokens: number; completionTokens: number } | null): OpenAiUsage => ({
  prompt_tokens: usage?.promptTokens ?? 0,
  completion_tokens: usage?.completionTokens ?? 0,
  total_tokens: (usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0),
});

export interface CompletionIds {
  turnId: string;
  conversationId: string;
  /** The model as the client named it. */
  model: string;
  /** Unix seconds of the turn's start. */
  created: number;
}

const base = (ids: CompletionIds) => ({
  id: `chatcmpl-${ids.turnId}`,
  created: ids.created,
  model: ids.model,
  conversation_id: ids.conversationId,
});

/** OpenAI says `stop` for a whole answer; a stopped one was cut short by the client, which does not read it. */
const finishReasonOf = (status: TurnStatus | undefined) => (status === 'completed' ? 'stop' : 'length');

export function completion(ids: CompletionIds, answer: string, status: TurnStatus, citations: readonly Citation[], usage: OpenAiUsage) {
  return {
    ...base(ids),
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, finish_reason: finishReasonOf(status), logprobs: null }],
    usage,
    citations,
  };
}

/** The first chunk carries the role, as OpenAI's does (its client expects it there). */
export const roleChunk = (ids: CompletionIds) => chunk(ids, { role: 'assistant', content: '' }, null);

export const deltaChunk = (ids: CompletionIds, text: string) => chunk(ids, { content: text }, null);

export const finishChunk = (ids: CompletionIds, status: TurnStatus | undefined, citations: readonly Citation[]) => ({
  ...chunk(ids, {}, finishReasonOf(status)),
  citations,
  turn_status: status ?? null,
});

/** stream_options.include_usage: after the finishing chunk, one with no choices and the usage. */
export const usageChunk = (ids: CompletionIds, usage: OpenAiUsage) => ({ ...base(ids), object: 'chat.completion.chunk', choices: [], usage });

function chunk(ids: CompletionIds, delta: Record<string, string>, finishReason: string | null) {
  return { ...base(ids), object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] };
}
