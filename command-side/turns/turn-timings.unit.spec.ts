import { describe, expect, it } from 'vitest';
import type { AnswerChunk, AnswerFeed } from '../../contracts/answer-feed.ts';
import type { TurnEvent } from '../../contracts/turns.ts';
import { evolve, initialState, type TurnState } from './state.ts';
import { T0, at, e } from './turn-fixtures.testing.ts';
import { turnTimings, type TurnStep } from './turn-timings.ts';

/** The event recorded `ms` after the question. */
const timed = <E extends TurnEvent>(event: E, ms: number): E => ({ ...event, data: { ...event.data, at: at(ms) } });

function watch(nowMs = 0) {
  const steps: Array<[TurnStep, number]> = [];
  const firstTokens: Array<[string, number]> = [];
  const published: AnswerChunk[] = [];
  let clock = nowMs;
  const timings = turnTimings(
    { stepFinished: (step, seconds) => steps.push([step, seconds]), firstToken: (model, seconds) => firstTokens.push([model, seconds]) },
    () => new Date(Date.parse(T0) + clock),
  );
  const sink: AnswerFeed = { publish: (chunk) => published.push(chunk), lastSeq: async () => 7 };
  const feed = timings.observe(sink);
  let state: TurnState = initialState();
  /** Records events as the saga would: the state folds them, then afterRecord sees them. */
  const record = (...events: TurnEvent[]) => {
    state = events.reduce(evolve, state);
    timings.recorded('t1', events, state);
  };
  return { steps, firstTokens, published, feed, record, setClock: (ms: number) => (clock = ms), seed: (...events: TurnEvent[]) => (state = events.reduce(evolve, state)) };
}

describe('turn timings', () => {
  it('measures each step from the event that opened it, also when several are recorded in one append', () => {
    const w = watch();
    w.seed(e.started);
    // The fast path: the hold, the search and GenerationStarted in one append.
    w.record(timed(e.reserved, 250), timed(e.retrieved, 400), timed(e.generating, 410));
    w.record(timed(e.completed, 2410));
    w.record(timed(e.captured, 2450), timed(e.turnCompleted, 2450));
    expect(w.steps).toEqual([
      ['reserve', 0.25],
      ['retrieve', 0.15],
      ['generate', 2],
      ['settle', 0.04],
    ]);
  });

  it('times the first token from the question to the first delta published, once per turn', async () => {
    const w = watch();
    w.seed(e.started);
    w.record(timed(e.reserved, 100), timed(e.retrieved, 200), timed(e.generating, 210));
    w.setClock(900);
    w.feed.publish({ turnId: 't1', seq: 1, delta: 'A', done: false });
    w.setClock(1200);
    w.feed.publish({ turnId: 't1', seq: 2, delta: ' pump', done: false });
    expect(w.firstTokens).toEqual([['test-model', 0.9]]);
    // Every chunk still reaches the feed, and lastSeq is the feed's.
    expect(w.published.map((c) => c.delta)).toEqual(['A', ' pump']);
    expect(await w.feed.lastSeq('t1')).toBe(7);
  });

  it('does not time a token it did not see the generation start of, nor a done chunk', () => {
    const w = watch(500);
    w.seed(e.started, e.reserved, e.retrieved, e.generating);
    w.feed.publish({ turnId: 't1', seq: 1, delta: 'A', done: false });
    w.record(timed(e.failed, 60_001));
    w.feed.publish({ turnId: 't1', seq: 2, delta: '', done: true, status: 'failed' });
    expect(w.firstTokens).toEqual([]);
  });

  it('a saga taking a turn over halfway does not measure the step it did not see open', () => {
    const w = watch();
    // Another process recorded up to GenerationStarted; this one finds the generation lost and fails it.
    w.seed(e.started, timed(e.reserved, 100), timed(e.retrieved, 200), timed(e.generating, 300));
    w.record(timed(e.failed, 5_000));
    w.record(timed(e.released, 5_100));
    expect(w.steps).toEqual([['settle', 0.1]]);
  });

  it('a declined reservation is a reserve step; a stop request in between moves no step', () => {
    const w = watch();
    w.seed(e.started);
    w.record(timed(e.stopRequested, 20));
    w.record(timed(e.declined, 80));
    expect(w.steps).toEqual([['reserve', 0.08]]);
  });
});
