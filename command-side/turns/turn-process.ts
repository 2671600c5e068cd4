/**
 * The billing saga as a process manager (process-manager/process-manager.ts): the turn decider (state.ts,
 * decide.ts), its next step (next-step.ts), and when to give up on a step that keeps failing.
 */
import { DomainError } from '../../contracts/errors.ts';
import { turnStream } from '../../contracts/streams.ts';
import { parseTurnEvent, type TurnEvent } from '../../contracts/turns.ts';
import type { ProcessManager } from '../process-manager/process-manager.ts';
import { decide } from './decide.ts';
import type { TurnInput } from './inputs.ts';
import { isFinished, nextStep, type TurnAction } from './next-step.ts';
import { evolve, initialState, type TurnState } from './state.ts';

export const TURN_SAGA = 'turn-saga';

/** Infrastructure that may come back (store or search down, a conflict storm); anything else will not. */
const mayRecover = (error: unknown) =>
  !(error instanceof DomainError) || error.code === 'UNAVAILABLE' || error.code === 'CONFLICT' || error.code === 'RATE_LIMITED';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const turnProcess: ProcessManager<TurnInput, TurnEvent, TurnState, TurnAction> = {
  name: TURN_SAGA,
  streamOf: turnStream,
  parseEvent: parseTurnEvent,
  initialState,
  evolve,
  decide,
  next: nextStep,
  isFinished,
  giveUp(action, error, attempts, now) {
    const at = now.toISOString();
    switch (action.type) {
      // Whether a reservation was made is unknown: failing the turn releases whatever may be held.
      case 'Reserve':
        if (mayRecover(error) && attempts < 5) return undefined;
        return { type: 'GenerationFailed', kind: 'reservation', reason: `the wallet could not be reached: ${messageOf(error)}`, at };
      case 'Retrieve':
        if (mayRecover(error) && attempts < 3) return undefined;
        return { type: 'GenerationFailed', kind: 'retrieval', reason: `searching the knowledge base failed: ${messageOf(error)}`, at };
      // Money is settled whatever it takes; the other steps do no I/O that can fail for long.
      default:
        return undefined;
    }
  },
};
