/**
 * The saga's next step, read off the turn's state (pure; `now` is given). Order matters and is the policy:
 * - a declined reservation ends the turn at once (decide.ts); a stop before generation ends it, nothing charged;
 * - the deadline is checked before every step until an answer is recorded: past it the turn fails and its hold is
 *   released. Once an answer is recorded the deadline no longer applies (it was delivered, it is charged);
 * - a generation found started but without an outcome was lost with its process (the provider call cannot be
 *   resumed, and the client saw part of it): the turn fails and its hold is released;
 * - a completed or stopped answer is captured at its usage, never above the hold; failures release the hold.
 */
import { costOf } from '../../contracts/wallet.ts';
import type { TurnUsage } from '../../contracts/turns.ts';
import type { TurnState } from './state.ts';

export type TurnAction =
  | { type: 'Reserve' }
  | { type: 'Retrieve' }
  | { type: 'Generate' }
  | { type: 'StopUnstarted' }
  | { type: 'Expire' }
  | { type: 'GenerationLost' }
  | { type: 'Capture'; amount: number; usage: TurnUsage }
  | { type: 'Release'; reason: string };

export function nextStep(state: TurnState, now: Date): TurnAction | undefined {
  const { started, funds, answer } = state;
  if (!started || state.end) return undefined;
  if (!answer) {
    if (state.stopRequested && !state.generationStarted) return { type: 'StopUnstarted' };
    if (!funds) return { type: 'Reserve' };
    // Declined: already ended in the same append (decide.ts); nothing to do.
    if (funds.kind === 'declined') return undefined;
    if (now.getTime() >= Date.parse(funds.deadlineAt)) return { type: 'Expire' };
    if (!state.retrieval) return { type: 'Retrieve' };
    return state.generationStarted ? { type: 'GenerationLost' } : { type: 'Generate' };
  }
  // Settling the hold ends the turn in the same append (decide.ts).
  if (answer.kind === 'failed') return { type: 'Release', reason: answer.reason };
  // No reservation recorded (stopped while reserving) or nothing generated: give back whatever may be held.
  if (funds?.kind !== 'reserved' || !state.generationStarted) return { type: 'Release', reason: 'stopped before any answer was generated' };
  return { type: 'Capture', amount: Math.min(costOf(started.price, answer.usage), funds.amount), usage: answer.usage };
}

/** A turn the saga has nothing left to do for. */
export const isFinished = (state: TurnState): boolean => state.end !== null;
