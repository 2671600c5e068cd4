import { describe, expect, it } from 'vitest';
import type { TurnEvent } from '../../contracts/turns.ts';
import { foldEvents } from '../decider.ts';
import { nextStep } from './next-step.ts';
import { statusOf } from './state.ts';
import { at, e, usage } from './turn-fixtures.testing.ts';
import { turnProcess } from './turn-process.ts';

const stateOf = (events: TurnEvent[]) => foldEvents(turnProcess, events);
const next = (events: TurnEvent[], ms = 10) => nextStep(stateOf(events), new Date(at(ms)));
const status = (events: TurnEvent[]) => statusOf(stateOf(events));

describe('the saga takes the next missing step', () => {
  it('walks the happy path: reserve, retrieve, generate, capture the actual cost (which ends the turn)', () => {
    expect(next([])).toBeUndefined();
    expect(next([e.started])).toEqual({ type: 'Reserve' });
    expect(next([e.started, e.reserved])).toEqual({ type: 'Retrieve' });
    expect(next([e.started, e.reserved, e.retrieved])).toEqual({ type: 'Generate' });
    // (300 prompt x 1000 + 50 completion x 2000) / 1000 = 400 micro-credits, below the 600 held.
    expect(next([e.started, e.reserved, e.retrieved, e.generating, e.completed])).toEqual({ type: 'Capture', amount: 400, usage });
    expect(next([e.started, e.reserved, e.retrieved, e.generating, e.completed, e.captured, e.turnCompleted])).toBeUndefined();
  });

  it('never captures more than the hold, whatever the usage says', () => {
    const huge = { ...e.completed, data: { ...e.completed.data, usage: { ...usage, completionTokens: 10_000 } } };
    expect(next([e.started, e.reserved, e.retrieved, e.generating, huge])).toMatchObject({ type: 'Capture', amount: 600 });
  });

  it('has nothing to do for a declined reservation (it ended the turn)', () => {
    expect(next([e.started, e.declined])).toBeUndefined();
  });

  it('fails a turn past its deadline before any further step, then releases its hold', () => {
    expect(next([e.started, e.reserved], 60_000)).toEqual({ type: 'Expire' });
    expect(next([e.started, e.reserved, e.retrieved, e.generating], 60_000)).toEqual({ type: 'Expire' });
    expect(next([e.started, e.reserved, e.retrieved, e.generating, e.failed], 60_000)).toEqual({ type: 'Release', reason: 'too late' });
  });

  it('no longer applies the deadline once the answer is recorded: a delivered answer is charged', () => {
    expect(next([e.started, e.reserved, e.retrieved, e.generating, e.completed], 120_000)).toMatchObject({ type: 'Capture' });
  });

  it('fails a generation found started without an outcome (its process died)', () => {
    expect(next([e.started, e.reserved, e.retrieved, e.generating])).toEqual({ type: 'GenerationLost' });
  });

  it('stops a turn asked to stop before generating, and gives back whatever may be held', () => {
    expect(next([e.started, e.stopRequested])).toEqual({ type: 'StopUnstarted' });
    expect(next([e.started, e.reserved, e.stopRequested])).toEqual({ type: 'StopUnstarted' });
    const stoppedEmpty = { type: 'AnswerStopped' as const, data: { turnId: 't1', userId: 'u1', answer: '', usage: { ...usage, promptTokens: 0, completionTokens: 0 }, citations: [], at: at(4) } };
    expect(next([e.started, e.stopRequested, stoppedEmpty])).toMatchObject({ type: 'Release' });
    expect(next([e.started, e.reserved, e.stopRequested, stoppedEmpty])).toMatchObject({ type: 'Release' });
  });

  it('lets a generation that started run on when a stop arrives (the stop aborts it), then charges what it wrote', () => {
    expect(next([e.started, e.reserved, e.retrieved, e.generating, e.stopRequested])).toEqual({ type: 'GenerationLost' });
    const stopped = { type: 'AnswerStopped' as const, data: { turnId: 't1', userId: 'u1', answer: 'A pump', usage: { ...usage, completionTokens: 2 }, citations: [], at: at(4) } };
    expect(next([e.started, e.reserved, e.retrieved, e.generating, e.stopRequested, stopped])).toEqual({
      type: 'Capture',
      amount: 304,
      usage: stopped.data.usage,
    });
  });
});

describe('turn status', () => {
  it('follows the saga', () => {
    expect(status([])).toBeUndefined();
    expect(status([e.started])).toBe('reserving');
    expect(status([e.started, e.declined])).toBe('reserving');
    expect(status([e.started, e.reserved])).toBe('retrieving');
    expect(status([e.started, e.reserved, e.retrieved, e.generating, e.completed])).toBe('generating');
    expect(status([e.started, e.reserved, e.retrieved, e.generating, e.completed, e.captured, e.turnCompleted])).toBe('completed');
  });
});
