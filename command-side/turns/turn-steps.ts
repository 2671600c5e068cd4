/**
 * Performs the saga's steps (next-step.ts): the I/O behind each, and the input that records its outcome. The
 * steps without I/O turn the clock into an input (a deadline passed, a lost generation).
 */
import type { AnswerFeed } from '../../contracts/answer-feed.ts';
import type { PerformStep, StepContext } from '../process-manager/process-manager.ts';
import { decide } from './decide.ts';
import { generateAnswer, type Generated, type GenerationStepDeps } from './generation-step.ts';
import type { TurnInput } from './inputs.ts';
import { nextStep, type TurnAction } from './next-step.ts';
import { retrieval, type RetrievalStepDeps } from './retrieval-step.ts';
import { evolve, type TurnState } from './state.ts';
import {
  captureAhead,
  captureFunds,
  OutdatedAhead,
  releaseFunds,
  reserveAhead,
  reserveFunds,
  type DecidedAhead,
  type WalletStepDeps,
} from './wallet-steps.ts';

export type TurnStepDeps = WalletStepDeps &
  RetrievalStepDeps &
  GenerationStepDeps & {
    feed: AnswerFeed;
    /**
     * Whether the turn's first write is stored, for a drive that started before it was confirmed (createTurns):
     * nothing is asked of the wallet on its own for a turn that may not exist. Default: it is.
     */
    startWritten?: (turnId: string) => Promise<boolean>;
  };

/** The wallet keeps release reasons to 500 characters. */
const REASON_CHARS = 500;

/** `chunks`: the retrieval the steps search with (createTurns shares it with `ask`, which starts searches early). */
export function turnSteps(deps: TurnStepDeps, chunks = retrieval(deps)): PerformStep<TurnInput, TurnState, TurnAction> {
  const at = () => deps.now().toISOString();

  /**
   * Records `inputs` with the wallet's decision made ahead, in one write; `outdated` when that decision no longer
   * stood (the write failed whole: nothing of it is stored).
   */
  async function recordWith(context: StepContext<TurnInput, TurnState>, ahead: DecidedAhead, inputs: readonly TurnInput[]) {
    try {
      return await context.record(inputs, [ahead.part]);
    } catch (error) {
      if (error instanceof OutdatedAhead) return { state: context.state, recorded: false, outdated: true };
      throw error;
    }
  }

  /**
   * A completed or stopped answer that the policy charges now (next-step.ts) is recorded with its charge in one
   * write (the wallet's capture, the answer, the capture and the turn's end): two writes fewer per turn. Anything
   * else, or when that write cannot be, is returned to be recorded, and the Capture or Release step follows.
   */
  async function settled({ outcome, state }: Generated, context: StepContext<TurnInput, TurnState>): Promise<TurnInput | undefined> {
    if (outcome?.type !== 'AnswerGenerated') return outcome;
    const action = nextStep(decide(outcome, state).reduce(evolve, state), deps.now());
    if (action?.type !== 'Capture') return outcome;
    const ahead = await captureAhead(deps, state.started!, action.amount, action.usage, context.traceparent);
    if (!ahead) return outcome;
    const written = await recordWith(context, ahead, [outcome, ahead.input]);
    return 'outdated' in written ? outcome : undefined;
  }

  return async (action, context) => {
    const turn = context.state.started!;
    switch (action.type) {
      case 'Reserve': {
        const traceparent = context.traceparent;
        chunks.prefetch(turn, traceparent);
        // The wallet's own write (the usual way) only for a turn whose first write is stored; else nothing is
        // recorded and the runner reads the turn again.
        const reserveFundsOnceStarted = async () =>
          (await (deps.startWritten?.(turn.turnId) ?? true)) ? reserveFunds(deps, turn, traceparent) : undefined;
        // The wallet decides the hold here, on the wallet as this process last saw it; the hold, the search (run
        // meanwhile) and GenerationStarted are then written in one go, while the provider is called, and nothing is
        // published before that write is done. A wallet that cannot decide ahead, or a write that met a concurrent
        // change (the call is then aborted): the usual way, the wallet's own write first.
        const ahead = await reserveAhead(deps, turn, traceparent);
        const decision = ahead?.input ?? (await reserveFundsOnceStarted());
        if (!decision) return undefined;
        const retrieved =
          decision.type === 'WalletReserved' ? await chunks.retrieve(turn, context.signal, traceparent).catch(() => undefined) : undefined;
        // Declined, or a search that failed: the decision alone (the Retrieve step then searches again).
        if (!retrieved || context.signal.aborted) {
          if (!ahead) return decision;
          return 'outdated' in (await recordWith(context, ahead, [decision])) ? reserveFundsOnceStarted() : undefined;
        }
        let outdated = false;
        const recordStart = async (inputs: readonly TurnInput[]) => {
          if (!ahead) return context.record(inputs);
          const written = await recordWith(context, ahead, inputs);
          outdated = 'outdated' in written;
          return written;
        };
        const generated = await generateAnswer(deps, context, [decision, retrieved], recordStart);
        return outdated ? reserveFundsOnceStarted() : settled(generated, context);
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
