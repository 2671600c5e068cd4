/**
 * An AnswerGenerator that writes a scripted answer (test code only): the saga's tests need exact token counts,
 * pacing and failures, not language. It keeps the port's contract: deltas, then one end; an aborted signal ends the
 * stream 'stopped' with the usage so far; failures throw the port's typed errors.
 */
import {
  GenerationInterruptedError,
  GenerationUnavailableError,
  type AnswerGenerator,
  type GenerationEvent,
  type GenerationRequest,
} from '../../contracts/answer-generation.ts';

export interface Script {
  tokens: string[];
  /** Pause before each token. */
  delayMs?: number;
  /** Provider-reported usage (default) or none (counted "locally": here, one token per delta). */
  reportUsage?: boolean;
  /** 'unavailable': throws before the first token; 'interrupt': throws after `failAfter` tokens. */
  fail?: 'unavailable' | 'interrupt';
  failAfter?: number;
  /** Never finishes: waits for the signal after the tokens. */
  hang?: boolean;
}

export const PROMPT_TOKENS = 120;

const pause = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

export function scriptedGenerator(script: Script | ((request: GenerationRequest) => Script), model = 'test-model'): AnswerGenerator & { calls: number } {
  const generator = {
    model,
    maxOutputTokens: 4096,
    calls: 0,
    estimatePromptTokens: () => PROMPT_TOKENS + 80,
    async *generate(request: GenerationRequest): AsyncIterable<GenerationEvent> {
      generator.calls++;
      const plan = typeof script === 'function' ? script(request) : script;
      const { signal } = request;
      if (plan.fail === 'unavailable') throw new GenerationUnavailableError('the test provider refused', 'provider-error', 1);
      let text = '';
      let written = 0;
      const usage = () => ({ promptTokens: PROMPT_TOKENS, completionTokens: written, reported: plan.reportUsage ?? true });
      const stopped = () => ({ type: 'end' as const, outcome: 'stopped' as const, model, usage: usage(), text, finishReason: null, cited: [] });
      for (const token of plan.tokens) {
        if (plan.fail === 'interrupt' && written === (plan.failAfter ?? 0)) {
          throw new GenerationInterruptedError('the test stream broke', { text, usage: usage(), model });
        }
        if (plan.delayMs) await pause(plan.delayMs, signal);
        if (signal?.aborted) return yield stopped();
        text += token;
        written++;
        yield { type: 'delta', text: token };
      }
      if (plan.hang) await pause(2 ** 30, signal);
      if (signal?.aborted) return yield stopped();
      const cited = [...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])).filter((n) => request.passages.some((p) => p.n === n));
      yield { type: 'end', outcome: 'completed', model, usage: usage(), text, finishReason: 'stop', cited: [...new Set(cited)] };
    },
  };
  return generator;
}
