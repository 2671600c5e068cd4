/**
 * Answers from any OpenAI-compatible chat server (OpenAI, DashScope Qwen, vLLM, Ollama), streamed with usage.
 * - Retries (backoff, a few attempts) only until the first token: after it, a second request would start another
 *   answer, so a break ends the stream with GenerationInterruptedError carrying the text so far.
 * - The request's signal aborts the HTTP request; the stream then ends 'stopped', with the usage of what arrived.
 *   openai 6 ends its iterator silently on abort, so the signal is checked here, not inferred from an error.
 * - A provider that never sends a first token, or stalls, is cut off by the watchdog.
 * - Usage is the provider's (stream_options.include_usage) when it reports it, else counted locally.
 * The client's own retries are off so that this is the only retry policy.
 */
import OpenAI from 'openai';
import {
  GenerationInterruptedError,
  GenerationUnavailableError,
  type AnswerGenerator,
  type GenerationEnd,
  type GenerationEvent,
  type GenerationRequest,
  type GenerationUsage,
} from '../../../../contracts/answer-generation.ts';
import { backoffDelay, sleepUnlessAborted, type Backoff } from '../../../retry.ts';
import { citedPassageNumbers } from '../citations.ts';
import { localUsage } from '../local-usage.ts';
import { buildPrompt, type PromptBudgets } from '../prompt/build-prompt.ts';
import { estimatePromptTokens } from '../prompt/prompt-tokens.ts';
import { worstCasePromptTokens } from '../prompt/worst-case-prompt-tokens.ts';
import { describeFailure, isRetryable, retryAfterMs } from './provider-failures.ts';
import { watchStream } from './stream-watchdog.ts';

export interface OpenAiAnswerGeneratorOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  /** The largest maxTokens accepted. Default 4096. */
  maxOutputTokens?: number;
  /** Default 30 s: a provider that has not sent a token by then is given up (not retried). */
  firstTokenTimeoutMs?: number;
  /** Default 30 s without a chunk after the first token: the stream is treated as broken. */
  idleTimeoutMs?: number;
  /** Attempts before the first token, the first included. Default 3. */
  maxAttempts?: number;
  /** Default 250 ms, doubling, with jitter. */
  baseDelayMs?: number;
  /** Default 4 s; also caps a server's Retry-After. */
  maxDelayMs?: number;
  /** Default: 3,000 tokens of passages, 1,000 of history. */
  budgets?: Partial<PromptBudgets>;
  /** Unset: the provider's default. */
  temperature?: number;
}

export const DEFAULT_PROMPT_BUDGETS: PromptBudgets = { contextTokens: 3000, historyTokens: 1000 };

const budgetsOf = (options: OpenAiAnswerGeneratorOptions): PromptBudgets => ({ ...DEFAULT_PROMPT_BUDGETS, ...options.budgets });

/**
 * What the generator tells its caller before any request (its model, its output limit, its worst-case prompt
 * estimate): no client, no connection. The off-thread generator answers these on the calling thread.
 */
export function openAiGeneratorLimits(options: OpenAiAnswerGeneratorOptions): Omit<AnswerGenerator, 'generate'> {
  const budgets = budgetsOf(options);
  return {
    model: options.model,
    maxOutputTokens: options.maxOutputTokens ?? 4096,
    estimatePromptTokens: (input) => worstCasePromptTokens(input, budgets),
  };
}

export function createOpenAiAnswerGenerator(options: OpenAiAnswerGeneratorOptions): AnswerGenerator {
  const { model } = options;
  const budgets = budgetsOf(options);
  const limits = { firstTokenMs: options.firstTokenTimeoutMs ?? 30_000, idleMs: options.idleTimeoutMs ?? 30_000 };
  const maxAttempts = options.maxAttempts ?? 3;
  // Half of each wait at random: a provider that is rate limiting gets at least half its rest.
  const backoff: Backoff = {
    firstDelayMs: options.baseDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 4000,
    jitter: 0.5,
  };
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey,
    maxRetries: 0,
    // The watchdog decides about a silent provider; the client's own limit (time to headers) stays out of its way.
    timeout: limits.firstTokenMs + 5000,
  });

  async function* generate(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
    const { signal, maxTokens } = request;
    const prompt = buildPrompt(request, budgets);
    const known = new Set(request.passages.map((passage) => passage.n));
    let text = '';
    let finishReason: string | null = null;
    let reported: GenerationUsage | undefined;
    // A prompt never sent (stopped before the first attempt) costs nothing.
    let sent = false;
    const counted = () => localUsage(sent ? estimatePromptTokens(prompt.messages) : 0, text);
    const end = (outcome: GenerationEnd['outcome']): GenerationEnd => ({
      type: 'end',
      outcome,
      model,
      // Counts a provider sent before a stop need not cover what was generated up to it.
      usage: outcome === 'completed' && reported ? reported : counted(),
      text,
      finishReason: outcome === 'completed' ? finishReason : null,
      cited: citedPassageNumbers(text, known),
    });

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) {
        yield end('stopped');
        return;
      }
      const attemptController = new AbortController();
      const abortAttempt = () => attemptController.abort();
      signal?.addEventListener('abort', abortAttempt, { once: true });
      const watchdog = watchStream(attemptController, limits);
      let failure: unknown;
      let readToTheEnd = false;
      try {
        sent = true;
        const stream = await client.chat.completions.create(
          {
            model,
            messages: prompt.messages,
            stream: true,
            stream_options: { include_usage: true },
            max_tokens: maxTokens,
            ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
          },
          { signal: attemptController.signal },
        );
        for await (const chunk of stream) {
          if (chunk.usage) {
            reported = {
              promptTokens: chunk.usage.prompt_tokens,
              completionTokens: chunk.usage.completion_tokens,
              reported: true,
            };
          }
          const choice = chunk.choices[0];
          if (choice?.finish_reason) finishReason = choice.finish_reason;
          const delta = choice?.delta?.content;
          if (delta) {
            text += delta;
            watchdog.progress();
            yield { type: 'delta', text: delta };
          }
        }
        readToTheEnd = true;
      } catch (error) {
        failure = error;
      } finally {
        watchdog.stop();
        signal?.removeEventListener('abort', abortAttempt);
        // Also when the consumer stops reading: the request must not go on generating unbilled tokens. A response
        // read to its end is over: aborting it would only cost (an error object and undici's listeners, ~5% of the
        // generation thread's time per answer).
        if (!readToTheEnd) attemptController.abort();
      }

      if (signal?.aborted || (watchdog.fired === undefined && failure === undefined)) {
        yield end(signal?.aborted ? 'stopped' : 'completed');
        return;
      }
      if (text !== '') {
        const why = watchdog.fired ? `no chunk for ${limits.idleMs} ms` : describeFailure(failure);
        throw new GenerationInterruptedError(`the answer stream broke off (${why})`, { text, usage: counted(), model });
      }
      if (watchdog.fired) {
        throw new GenerationUnavailableError(
          `the language model sent no token within ${limits.firstTokenMs} ms`,
          'first-token-timeout',
          attempt,
        );
      }
      if (!isRetryable(failure) || attempt >= maxAttempts) {
        const attempts = `${attempt} attempt${attempt === 1 ? '' : 's'}`;
        throw new GenerationUnavailableError(
          `the language model is unavailable after ${attempts} (${describeFailure(failure)})`,
          'provider-error',
          attempt,
        );
      }
      const wait = Math.min(backoff.maxDelayMs, retryAfterMs(failure) ?? backoffDelay(backoff, attempt));
      await sleepUnlessAborted(wait, signal);
    }
  }

  return { ...openAiGeneratorLimits(options), generate };
}
