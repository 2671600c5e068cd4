/**
 * POST /v1/chat/completions: a question to a knowledge base through an API key, answered in OpenAI's shapes. Each
 * call is a turn of the same saga as GraphQL `ask` (the turn commands), billed to the key's owner the same way and
 * marked with the key (TurnStarted.apiKeyId, the wallet lines' metadata); its tokens come from the same answer stream
 * GraphQL `answerStream` reads (query-side/chat-stream). A client that goes away before the end stops the answer as
 * stopAnswer does: the tokens generated so far are charged, and the turn ends `stopped`.
 *
 * Order of checks, cheapest first and nothing recorded before all pass: the key (401), its requests per minute
 * (429), the body (400), the knowledge base the key may use (403: key-scope.ts), then ask, which checks the knowledge base (404),
 * the question and max tokens (400) and, with the hold known, the key's credits per day (429). Funds the wallet
 * declines come back from the saga as a rejected turn: 402, or, once streaming has begun, an error event.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import type { TurnCommands, TurnView } from '../../contracts/turn-commands.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import type { Citation, TurnStatus } from '../../contracts/turns.ts';
import type { ApiKeyCaller } from '../api-keys/api-key-auth.ts';
import { openAnswerStream, type AnswerStreamDeps } from '../chat-stream/answer-stream.ts';
import type { OpenStreams } from '../chat-stream/open-streams.ts';
import { uploadMetadata } from '../upload/upload-metadata.ts';
import { SseWriter } from './answer-sse.ts';
import { parseChatRequest, type ChatRequest } from './chat-request.ts';
import { completion, deltaChunk, finishChunk, roleChunk, usageChunk, usageOf, type CompletionIds } from './completion-shapes.ts';
import { creditAdmission, type CreditLimitDeps } from './key-limits.ts';
import { assertKeyMayUse } from './key-scope.ts';
import { asOpenAiError, errorBody, OpenAiError } from './openai-errors.ts';

export interface ChatCompletionDeps {
  commands: Pick<TurnCommands, 'ask' | 'stop' | 'turn'>;
  answers: AnswerStreamDeps;
  /** Answer streams a graceful shutdown waits for (the GraphQL subscriptions' set). */
  open?: OpenStreams;
  credits: CreditLimitDeps;
  /** The read-model database (which workspace a knowledge base is of, for a workspace key). */
  readModels: SqlExecutor;
  onError?(error: unknown, turnId: string): void;
}

/** A turn that ended without an answer, as the error OpenAI's clients know. */
function refusalOf(view: TurnView): OpenAiError {
  if (view.status === 'rejected') {
    return new OpenAiError(402, 'insufficient_quota', 'insufficient_quota', view.error ?? 'insufficient funds in the wallet of this key’s owner');
  }
  return new OpenAiError(502, 'server_error', 'answer_failed', view.error ?? 'the answer failed; nothing was charged');
}

interface Ending {
  status: TurnStatus | undefined;
  citations: Citation[];
}

export function createChatCompletionHandler(deps: ChatCompletionDeps) {
  const { commands } = deps;

  /** Reads the turn's chunks to the done one; `onDelta` sees each delta (and may be slow: it is awaited). */
  async function readToEnd(chunks: AsyncIterator<AnswerChunk>, first: IteratorResult<AnswerChunk>, onDelta: (text: string) => Promise<void>): Promise<Ending> {
    for (let next = first; !next.done; next = await chunks.next()) {
      const chunk = next.value;
      if (chunk.done) return { status: chunk.status, citations: chunk.citations ?? [] };
      if (chunk.delta) await onDelta(chunk.delta);
    }
    return { status: undefined, citations: [] };
  }

  return async function chatCompletion(caller: ApiKeyCaller, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const chat: ChatRequest = parseChatRequest(request.body);
    await assertKeyMayUse(deps.readModels, caller.key, chat.knowledgeBaseId);
    const credits = creditAdmission(deps.credits, caller.key);
    const metadata = { ...uploadMetadata(request, caller.actor), apiKeyId: caller.key.id };
    const { knowledgeBaseId, question, maxTokens, conversationId } = chat;
    let turn: TurnView;
    try {
      turn = await commands.ask(caller.actor, { knowledgeBaseId, question, maxTokens, conversationId, apiKeyId: caller.key.id }, metadata, credits.askOptions);
    } catch (error) {
      await credits.settle(0);
      throw error;
    }
    const ids: CompletionIds = { turnId: turn.id, conversationId: turn.conversationId, model: chat.model, created: Math.floor(Date.parse(turn.createdAt) / 1000) };

    // The client going away before the answer is whole stops it (charged for what was generated). The answer is
    // still read to its end here, to settle the key's credits with what the turn really cost.
    let finished = false;
    let stopping: Promise<unknown> | undefined;
    const stopIfGone = () => {
      if (finished || stopping || reply.raw.writableFinished) return;
      stopping = commands.stop(caller.actor, turn.id, metadata).catch((error: unknown) => deps.onError?.(error, turn.id));
    };
    reply.raw.on('close', stopIfGone);
    // Gone while the question was being recorded: the close came before anyone listened.
    if (reply.raw.destroyed || request.raw.socket.destroyed) stopIfGone();

    /** The turn as last read once its answer ended: what the key's credits are settled with. */
    let endView: TurnView | undefined;
    const ended = async () => (endView = await commands.turn(caller.actor, turn.id));
    try {
      const opened = await openAnswerStream(deps.answers, caller.actor, turn.id, 0);
      const chunks = deps.open ? deps.open.track(opened) : opened;
      try {
        const first = await chunks.next();
        const startsDone = !first.done && first.value.done && first.value.status !== 'completed' && first.value.status !== 'stopped';
        if (startsDone) {
          finished = true;
          const refusal = refusalOf(await ended());
          await reply.code(refusal.status).send(errorBody(refusal));
        } else if (chat.stream) {
          await streamAnswer(reply, chunks, first, async () => {
            finished = true;
            return ended();
          });
        } else {
          let answer = '';
          const ending = await readToEnd(chunks, first, async (text) => void (answer += text));
          const view = await ended();
          finished = true;
          if (ending.status !== 'completed' && ending.status !== 'stopped') {
            const refusal = refusalOf(view);
            await reply.code(refusal.status).send(errorBody(refusal));
            return;
          }
          await reply.send(completion(ids, view.answer ?? answer, view.status, ending.citations, usageOf(view.usage)));
        }
      } finally {
        await chunks.return?.();
      }
    } finally {
      finished = true;
      await stopping;
      // Settled with what the turn cost; a turn still running (the stream broke, the client left) when it ends.
      const settling = endView && ENDED.includes(endView.status)
        ? credits.settle(endView.cost ?? 0)
        : settleWhenEnded(commands, caller, turn.id, credits.settle);
      void settling.catch((error: unknown) => deps.onError?.(error, turn.id));
    }

    /** SSE: the role chunk, the deltas, the finishing chunk (or an error event), the usage, [DONE]. */
    async function streamAnswer(
      reply: FastifyReply,
      chunks: AsyncIterator<AnswerChunk>,
      first: IteratorResult<AnswerChunk>,
      answered: () => Promise<TurnView>,
    ): Promise<void> {
      reply.hijack();
      const sse = new SseWriter(reply.raw);
      sse.open();
      try {
        await sse.send(roleChunk(ids));
        const ending = await readToEnd(chunks, first, (text) => sse.send(deltaChunk(ids, text)));
        const view = await answered();
        if (ending.status === 'failed') {
          // OpenAI's clients raise an error event met mid-stream as an APIError.
          await sse.send(errorBody(refusalOf(view)));
        } else {
          await sse.send(finishChunk(ids, ending.status, ending.citations));
          if (chat.includeUsage) await sse.send(usageChunk(ids, usageOf(view.usage)));
        }
        await sse.done();
      } catch (error) {
        // The headers are out: the failure (a client that stopped reading: SLOW_CONSUMER) can only be an event. The
        // answer goes on and is billed, as for a GraphQL subscriber that is ended; the turn holds it.
        deps.onError?.(error, turn.id);
        await sse.send(errorBody(asOpenAiError(error) ?? new OpenAiError(500, 'server_error', 'internal_error', 'the answer stream broke')));
        await sse.done();
      }
    }
  };
}

const ENDED: readonly TurnStatus[] = ['completed', 'stopped', 'failed', 'rejected'];
/** Past the saga's own deadline (RESERVATION_TIMEOUT_MS) every turn has ended; past this, the worst case stays counted. */
const SETTLE_GIVE_UP_MS = 15 * 60_000;

async function settleWhenEnded(
  commands: Pick<TurnCommands, 'turn'>,
  caller: ApiKeyCaller,
  turnId: string,
  settle: (cost: number) => Promise<void>,
): Promise<void> {
  const giveUpAt = Date.now() + SETTLE_GIVE_UP_MS;
  for (let waitMs = 50; Date.now() < giveUpAt; waitMs = Math.min(waitMs * 2, 5_000)) {
    const view = await commands.turn(caller.actor, turnId);
    if (ENDED.includes(view.status)) return settle(view.cost ?? 0);
    await new Promise((resolve) => setTimeout(resolve, waitMs).unref());
  }
}
