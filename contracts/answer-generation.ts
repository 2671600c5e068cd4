/**
 * The answer-generation port: what the turn saga needs from whatever writes an answer (a language model behind an
 * OpenAI-compatible server, or the offline extractive answerer). Pure types and typed errors; adapters live in
 * command-side/turns/generation.
 */
import { DomainError } from './errors.ts';

/** One retrieved chunk as the answer may cite it: `[n]` in the answer text points at the passage numbered n. */
export interface ContextPassage {
  /** 1-based, unique within a request, in retrieval rank order. */
  n: number;
  documentId: string;
  documentTitle: string;
  chunkId: string;
  text: string;
}

/** An earlier question/answer pair of the same conversation (oldest first in a request). */
export interface HistoryTurn {
  question: string;
  answer: string;
}

/** What the saga knows before retrieval: enough to reserve the worst case. */
export interface PromptEstimateInput {
  question: string;
  history: readonly HistoryTurn[];
}

export interface GenerationRequest extends PromptEstimateInput {
  passages: readonly ContextPassage[];
  /** Upper bound of completion tokens; the reservation is estimatePromptTokens(...) + maxTokens. */
  maxTokens: number;
  /** Aborting stops generation at the provider (the HTTP request is aborted); the stream then ends 'stopped'. */
  signal?: AbortSignal;
}

export interface GenerationUsage {
  promptTokens: number;
  completionTokens: number;
  /** true: the provider reported these counts; false: counted locally with the tokenizer. */
  reported: boolean;
}

/** How a stream of deltas ended without an error. */
export interface GenerationEnd {
  type: 'end';
  /** 'completed': the writer finished; 'stopped': the request's signal aborted it (usage covers what was written). */
  outcome: 'completed' | 'stopped';
  /** The configured model name: the key of the price table. */
  model: string;
  usage: GenerationUsage;
  /** The whole answer: the concatenation of every delta. */
  text: string;
  /** The provider's finish reason ('stop', 'length', ...), null when stopped or when none was given. */
  finishReason: string | null;
  /** Passage numbers cited as [n] in the text, ascending, restricted to the request's passages. */
  cited: number[];
}

export interface GenerationDelta {
  type: 'delta';
  text: string;
}

export type GenerationEvent = GenerationDelta | GenerationEnd;

export interface AnswerGenerator {
  /** The model name usage is recorded and priced under. */
  readonly model: string;
  /** The largest maxTokens this generator accepts (requests above it are the caller's BAD_USER_INPUT). */
  readonly maxOutputTokens: number;
  /**
   * Prompt tokens of the largest prompt this question and history can produce, whatever passages retrieval finds
   * later (the context has a token budget): the saga reserves (this + maxTokens) at the model's price.
   */
  estimatePromptTokens(input: PromptEstimateInput): number;
  /**
   * Deltas in order, then exactly one 'end' event. Failures are thrown by the iterator as
   * GenerationUnavailableError (nothing was written) or GenerationInterruptedError (some text was written).
   */
  generate(request: GenerationRequest): AsyncIterable<GenerationEvent>;
}

/** No token was produced: the provider refused, failed after the retries, or did not answer in time. */
export class GenerationUnavailableError extends DomainError {
  readonly reason: 'provider-error' | 'first-token-timeout';
  readonly attempts: number;

  constructor(message: string, reason: GenerationUnavailableError['reason'], attempts: number) {
    super('UNAVAILABLE', message, { reason, attempts });
    this.name = 'GenerationUnavailableError';
    this.reason = reason;
    this.attempts = attempts;
  }
}

/**
 * The stream broke after its first token (connection lost, provider error, stalled). Never retried: a second
 * answer would not continue the first. Carries what was written and its locally counted usage.
 */
export class GenerationInterruptedError extends DomainError {
  readonly partialText: string;
  readonly usage: GenerationUsage;
  readonly model: string;

  constructor(message: string, partial: { text: string; usage: GenerationUsage; model: string }) {
    super('UNAVAILABLE', message, { partialLength: partial.text.length, usage: partial.usage });
    this.name = 'GenerationInterruptedError';
    this.partialText = partial.text;
    this.usage = partial.usage;
    this.model = partial.model;
  }
}
