/**
 * The body of POST /v1/chat/completions, validated, and what we make of it. Chosen (docs/ARCHITECTURE.md,
 * "OpenAI-compatible API"):
 * - `model` names a knowledge base: `kb:<id>` (what GET /v1/models lists) or the bare id. Not its name: names are
 *   not unique and may be alike across owners, and a question must never go to another knowledge base than meant.
 * - The question is the last message, which must be the user's. Earlier messages and system prompts are not sent
 *   to the model: the answer is grounded in the knowledge base under our own instructions, a client-supplied system
 *   prompt could undo them, and a history repeated by the client on every call would be billed again each time.
 *   Continue a conversation with the extension field `conversation_id` (every answer carries it): its earlier turns
 *   are then given as history, from the log, as in the web app.
 * - `content` is a string or an array of text parts (joined); any other part (images, audio, files) is refused.
 * - `max_completion_tokens` or its older name `max_tokens` (the first wins); `n` other than 1, tools and response
 *   formats are refused rather than silently ignored; sampling settings (temperature…) are accepted and ignored.
 */
import { z } from 'zod';
import { invalidRequest } from './openai-errors.ts';

const MAX_MESSAGES = 1000;

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const content = z.union([z.string(), z.array(z.object({ type: z.string() }).passthrough()).max(MAX_MESSAGES), z.null()]);
const message = z.object({ role: z.string(), content: content.optional() }).passthrough();

const bodySchema = z
  .object({
    model: z.string().min(1).max(300),
    messages: z.array(message).min(1, 'messages must not be empty').max(MAX_MESSAGES, `at most ${MAX_MESSAGES} messages`),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).passthrough().nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    n: z.literal(1).nullish(),
    tools: z.array(z.unknown()).max(0, 'tools are not supported').nullish(),
    response_format: z.object({ type: z.literal('text') }).passthrough().nullish(),
    conversation_id: z.string().min(1).max(200).nullish(),
  })
  .passthrough();

export interface ChatRequest {
  /** As the client named it, for the answer's `model`. */
  model: string;
  knowledgeBaseId: string;
  question: string;
  maxTokens: number | undefined;
  stream: boolean;
  includeUsage: boolean;
  conversationId: string | undefined;
}

/** The knowledge base a model name means, or undefined when it is not one of ours. */
export function knowledgeBaseOfModel(model: string): string | undefined {
  const id = model.startsWith('kb:') ? model.slice(3) : model;
  return /^[\w-]{1,200}$/.test(id) ? id : undefined;
}

function textOf(value: z.infer<typeof content> | undefined): string {
  if (typeof value === 'string') return value;
  if (!value) return '';
  return value
    .map((part) => {
      const text = textPart.safeParse(part);
      if (!text.success) throw invalidRequest(`content parts of type ${JSON.stringify(part.type)} are not supported; send text`, 'unsupported_content');
      return text.data.text;
    })
    .join('');
}

export function parseChatRequest(body: unknown): ChatRequest {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw invalidRequest(`${where}${issue?.message ?? 'invalid request body'}`);
  }
  const request = parsed.data;
  const knowledgeBaseId = knowledgeBaseOfModel(request.model);
  if (knowledgeBaseId === undefined) {
    throw invalidRequest(`model ${JSON.stringify(request.model)} is not a knowledge base: use kb:<id> from GET /v1/models`, 'model_not_found');
  }
  const last = request.messages.at(-1)!;
  if (last.role !== 'user') throw invalidRequest('the last message must be the user’s question');
  return {
    model: request.model,
    knowledgeBaseId,
    question: textOf(last.content),
    maxTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
    stream: request.stream === true,
    includeUsage: request.stream_options?.include_usage === true,
    conversationId: request.conversation_id ?? undefined,
  };
}
