/**
 * The saga's generation step: records GenerationStarted, streams the answer from the generator to the answer feed,
 * and returns how it ended. Three things can cut it short, told apart by whose signal fired:
 * - the owner's stop (RunningGenerations): the answer so far and its usage are recorded as stopped (and charged);
 * - the turn's deadline: the answer fails and the hold is released (the tokens are not charged);
 * - the runner stopping (shutdown, lease lost): nothing is recorded; whoever resumes the turn finds the generation
 *   started without an outcome and fails it (next-step.ts).
 */
import { SpanStatusCode } from '@opentelemetry/api';
import {
  GenerationInterruptedError,
  GenerationUnavailableError,
  type AnswerGenerator,
  type GenerationEnd,
  type HistoryTurn,
} from '../../contracts/answer-generation.ts';
import type { AnswerFeed } from '../../contracts/answer-feed.ts';
import type { Citation, RetrievedChunk } from '../../contracts/turns.ts';
import type { StepContext } from '../process-manager/process-manager.ts';
import { traced } from '../traced.ts';
import { citedPassageNumbers } from './generation/citations.ts';
import { decide } from './decide.ts';
import type { TurnInput } from './inputs.ts';
import type { RunningGenerations } from './running-generations.ts';
import { evolve, type TurnState } from './state.ts';

export interface GenerationStepDeps {
  generator: AnswerGenerator;
  feed: AnswerFeed;
  generations: RunningGenerations;
  /** The earlier turns' questions and answers, oldest first. */
  history(turnIds: readonly string[]): Promise<HistoryTurn[]>;
  now: () => Date;
}

const EXCERPT_CHARS = 300;

export function citationsOf(chunks: readonly RetrievedChunk[], cited: readonly number[]): Citation[] {
  return cited.flatMap((n) => {
    const chunk = chunks.find((c) => c.n === n);
    if (!chunk) return [];
    const { chunkId, documentId, documentName, score, text } = chunk;
    return [{ n, chunkId, documentId, documentName, score, excerpt: text.slice(0, EXCERPT_CHARS) }];
  });
}

function answered(deps: GenerationStepDeps, chunks: readonly RetrievedChunk[], end: GenerationEnd): TurnInput {
  const { promptTokens, completionTokens, reported } = end.usage;
  return {
    type: 'AnswerGenerated',
    outcome: end.outcome,
    answer: end.text,
    usage: { model: end.model, promptTokens, completionTokens, reported },
    citations: citationsOf(chunks, end.cited),
    finishReason: end.finishReason,
    at: deps.now().toISOString(),
  };
}

/** How the generation step ended: the outcome to record (none: nothing of this step's to record), and the turn as it
 * was recorded when generation started. */
export interface Generated {
  outcome: TurnInput | undefined;
  state: TurnState;
}

/**
 * `before`: outcomes the step already has and records in the same append as GenerationStarted (the reservation and
 * the search, when they came in the same step): the generation answers from the state they make. `recordStart`
 * records them with GenerationStarting (default: context.record; the Reserve step writes the wallet's hold with
 * them).
 */
export async function generateAnswer(
  deps: GenerationStepDeps,
  context: StepContext<TurnInput, TurnState>,
  before: readonly TurnInput[] = [],
  recordStart: (inputs: readonly TurnInput[]) => Promise<{ state: TurnState; recorded: boolean }> = (inputs) => context.record(inputs),
): Promise<Generated> {
  const state = before.reduce((folded, input) => decide(input, folded).reduce(evolve, folded), context.state);
  const turn = state.started!;
  const chunks = state.retrieval ?? [];
  const deadlineAt = state.funds?.kind === 'reserved' ? Date.parse(state.funds.deadlineAt) : Number.POSITIVE_INFINITY;
  const stop = deps.generations.start(turn.turnId);
  const deadline = new AbortController();
  const refused = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error('deadline passed')), Math.max(0, deadlineAt - deps.now().getTime()));
  const signal = AbortSignal.any([stop.signal, deadline.signal, context.signal, refused.signal]);
  const failed = (kind: 'provider' | 'interrupted' | 'deadline', reason: string): TurnInput => ({
    type: 'GenerationFailed',
    kind,
    reason,
    at: deps.now().toISOString(),
  });
  // A provider's first token takes longer than an append: GenerationStarted is recorded while the request goes out,
  // and nothing is published or returned before it is. Refused (a stop or another runner came first): the call was
  // never this step's to make, it is aborted and the next step follows from what is recorded.
  let recordedState = context.state;
  const started = recordStart([...before, { type: 'GenerationStarting', at: deps.now().toISOString() }]).then(
    ({ state: now, recorded }) => {
      recordedState = now;
      if (!recorded) refused.abort();
      return recorded;
    },
    (error: unknown) => {
      refused.abort();
      throw error;
    },
  );
  started.catch(() => undefined);
  let seq = 0;
  let end: GenerationEnd | undefined;
  let error: unknown;
  await traced('generation', context.traceparent, { 'gen_ai.request.model': turn.model, 'gen_ai.request.max_tokens': turn.maxTokens }, async (span) => {
    try {
      const history = await deps.history(turn.historyTurnIds);
      const passages = chunks.map((c) => ({ n: c.n, documentId: c.documentId, documentTitle: c.documentName, chunkId: c.chunkId, text: c.text }));
      const request = { question: turn.question, history, passages, maxTokens: turn.maxTokens, signal };
      for await (const event of deps.generator.generate(request)) {
        if (!(await started)) break;
        if (event.type === 'delta') {
          if (seq === 0) span.addEvent('first token');
          deps.feed.publish({ turnId: turn.turnId, seq: ++seq, delta: event.text, done: false });
        } else end = event;
      }
    } catch (caught) {
      error = caught;
      span.setStatus({ code: SpanStatusCode.ERROR, message: caught instanceof Error ? caught.message : String(caught) });
    } finally {
      clearTimeout(timer);
      deps.generations.end(turn.turnId, seq);
      span.setAttribute('generation.deltas', seq);
      if (end) span.setAttributes({ 'gen_ai.usage.input_tokens': end.usage.promptTokens, 'gen_ai.usage.output_tokens': end.usage.completionTokens });
    }
  });
  const outcome = await outcomeOf();
  return { outcome, state: recordedState };

  async function outcomeOf(): Promise<TurnInput | undefined> {
    if (!(await started)) return undefined;
    if (deadline.signal.aborted) return failed('deadline', `the answer was not finished by its deadline (${new Date(deadlineAt).toISOString()})`);
    if (context.signal.aborted && !stop.signal.aborted) throw new Error('the saga stopped while generating');
    if (error instanceof GenerationInterruptedError) {
      if (stop.signal.aborted) {
        // The stop broke the stream rather than ending it: what was written is still the stopped answer.
        const { model, usage, partialText: text } = error;
        const cited = citedPassageNumbers(text, new Set(chunks.map((c) => c.n)));
        return answered(deps, chunks, { type: 'end', outcome: 'stopped', model, usage, text, finishReason: null, cited });
      }
      return failed('interrupted', `the answer broke off: ${error.message}`);
    }
    if (error instanceof GenerationUnavailableError) return failed('provider', `no answer from the model: ${error.message}`);
    if (error !== undefined) return failed('provider', `generating the answer failed: ${error instanceof Error ? error.message : String(error)}`);
    if (!end) return failed('provider', 'the answer ended without its usage');
    return answered(deps, chunks, end);
  }
}
