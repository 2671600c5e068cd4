/**
 * Performs the saga's steps (next-step.ts): the I/O behind each, and the input that records its outcome. The
 * steps without I/O turn the clock into an input (a deadline passed, a lost generation).
 */
import type { AnswerFeed } from '../../contracts/answer-feed.ts';
import type { PerformStep } from '../process-manager/process-manager.ts';
import { generateAnswer, type GenerationStepDeps } from './generation-step.ts';
import type { TurnInput } from './inputs.ts';
import type { TurnAction } from './next-step.ts';
import { retrieval, type RetrievalStepDeps } from './retrieval-step.ts';
import type { TurnState } from './state.ts';
import { captureFunds, releaseFunds, reserveFunds, type WalletStepDeps } from './wallet-steps.ts';

export type TurnStepDeps = WalletStepDeps & RetrievalStepDeps & GenerationStepDeps & { feed: AnswerFeed };

/** The wallet keeps release reasons to 500 characters. */
const REASON_CHARS = 500;

export function turnSteps(deps: TurnStepDeps): PerformStep<TurnInput, TurnState, TurnAction> {
  const at = () => deps.now().toISOString();
  const chunks = retrieval(deps);
  return async (action, context) => {
    const turn = context.state.started!;
    switch (action.type) {
      case 'Reserve': {
        chunks.prefetch(turn, context.traceparent);
        const decision = await reserveFunds(deps, turn, context.traceparent);
        if (decision.type !== 'WalletReserved') return decision;
        // The hold is in place and the search ran meanwhile: both are recorded with GenerationStarted in one append,
        // and the provider is called in this same step (two appends fewer before the first token). A search that
        // failed records the hold alone; the Retrieve step then searches again.
        const retrieved = await chunks.retrieve(turn, context.signal, context.traceparent).catch(() => undefined);
        if (!retrieved || context.signal.aborted) return decision;
        return generateAnswer(deps, context, [decision, retrieved]);
      }
      case 'Retrieve':
        return chunks.retrieve(turn, context.signal, context.traceparent);
      case 'Generate':
        return generateAnswer(deps, context);
      case 'StopUnstarted': {
        const usage = { model: turn.model, promptTokens: 0, completionTokens: 0, reported: false };
        return { type: 'AnswerGenerated', outcome: 'stopped', answer: '', usage, citations: [], finishReason: null, at: at() };
      }
      case 'Expire': {
        const reason = `no answer before the deadline (${context.state.funds?.kind === 'reserved' ? context.state.funds.deadlineAt : 'unknown'})`;
        return { type: 'GenerationFailed', kind: 'deadline', reason, at: at() };
      }
      case 'GenerationLost': {
        const reason = 'the process answering stopped before the answer was complete';
        return { type: 'GenerationFailed', kind: 'lost', reason, at: at() };
      }
      case 'Capture':
        return captureFunds(deps, turn, action.amount, action.usage, context.traceparent);
      case 'Release':
        return releaseFunds(deps, turn, action.reason.slice(0, REASON_CHARS), context.traceparent);
      default: {
        const unhandled: never = action;
        throw new Error(`unknown turn step ${JSON.stringify(unhandled)}`);
      }
    }
  };
}
