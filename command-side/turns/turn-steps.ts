/**
 * Performs the saga's steps (next-step.ts): the I/O behind each, and the input that records its outcome. The
 * steps without I/O turn the clock into an input (a deadline passed, a lost generation).
 */
import type { AnswerFeed } from '../../contracts/answer-feed.ts';
import type { StreamDecision } from '../decider.ts';
import type { PerformStep, StepContext } from '../process-manager/process-manager.ts';
import { decide } from './decide.ts';
import { generateAnswer, type Generated, type GenerationStepDeps } from './generation-step.ts';
import type { TurnInput } from './inputs.ts';
import { nextStep, type TurnAction } from './next-step.ts';
import { retrieval, type RetrievalStepDeps } from './retrieval-step.ts';
import { evolve, type TurnState } from './state.ts';
import { captureFunds, captureWith, releaseFunds, reserveFunds, type WalletStepDeps } from './wallet-steps.ts';

export type TurnStepDeps = WalletStepDeps & RetrievalStepDeps & GenerationStepDeps & { feed: AnswerFeed };

/** The wallet keeps release reasons to 500 characters. */
const REASON_CHARS = 500;

export function turnSteps(deps: TurnStepDeps): PerformStep<TurnInput, TurnState, TurnAction> {
  const at = () => deps.now().toISOString();
  const chunks = retrieval(deps);

  /**
   * A completed or stopped answer that the policy charges now (next-step.ts) is recorded with its charge in one
   * write (captureWith: the wallet's capture, the answer, the capture and the turn's end): two writes fewer per turn.
   * Anything else, or when that write cannot be, is returned to be recorded, and the Capture or Release step follows.
   */
  async function settled({ outcome, state }: Generated, context: StepContext<TurnInput, TurnState>): Promise<TurnInput | undefined> {
    if (outcome?.type !== 'AnswerGenerated') return outcome;
    const action = nextStep(decide(outcome, state).reduce(evolve, state), deps.now());
    if (action?.type !== 'Capture') return outcome;
    const record = (inputs: readonly TurnInput[], before: readonly StreamDecision<unknown>[]) => context.record(inputs, before);
    const charged = await captureWith(deps, state.started!, action.amount, action.usage, record, [outcome], context.traceparent);
    return charged ? undefined : outcome;
  }
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
        return settled(await generateAnswer(deps, context, [decision, retrieved]), context);
      }
      case 'Retrieve':
        return chunks.retrieve(turn, context.signal, context.traceparent);
      case 'Generate':
        return settled(await generateAnswer(deps, context), context);
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
