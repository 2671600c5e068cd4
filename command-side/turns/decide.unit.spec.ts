import { describe, it } from 'vitest';
import { DeciderSpecification } from '../decider-specification.ts';
import { at, citation, e, started, usage } from './turn-fixtures.testing.ts';
import { turnProcess } from './turn-process.ts';

const spec = DeciderSpecification.for(turnProcess);
const happyUntilAnswer = [e.started, e.reserved, e.retrieved, e.generating];
const capture = (amount: number, released = 600 - amount) => ({ type: 'WalletCaptured' as const, reservationId: 'turn-t1', amount, released, at: at(5) });
const release = { type: 'WalletReleased' as const, reservationId: 'turn-t1', amount: 600, reason: 'too late', at: at(5) };

describe('turn decider: owner commands', () => {
  it('starts a turn once; the same start again records nothing, another under the same id is a conflict', () => {
    spec.given([]).when({ type: 'StartTurn', data: started }).then([e.started]);
    spec.given([e.started]).when({ type: 'StartTurn', data: started }).thenNothing();
    spec.given([e.started]).when({ type: 'StartTurn', data: { ...started, question: 'other' } }).thenThrows('CONFLICT');
  });

  it('records a stop from the owner once, and refuses anyone else', () => {
    spec.given([e.started]).when({ type: 'RequestStop', by: 'u1', at: at(3) }).then([e.stopRequested]);
    spec.given([e.started, e.stopRequested]).when({ type: 'RequestStop', by: 'u1', at: at(4) }).thenNothing();
    spec.given([e.started]).when({ type: 'RequestStop', by: 'u2', at: at(3) }).thenThrows('FORBIDDEN');
    spec.given([]).when({ type: 'RequestStop', by: 'u1', at: at(3) }).thenThrows('NOT_FOUND');
  });

  it('ignores a stop once the turn has ended', () => {
    spec.given([...happyUntilAnswer, e.completed, e.captured, e.turnCompleted]).when({ type: 'RequestStop', by: 'u1', at: at(9) }).thenNothing();
  });

  it('rates an ended turn for its owner (every rating is recorded; the last counts), not before it ends', () => {
    const ended = [...happyUntilAnswer, e.completed, e.captured, e.turnCompleted];
    const rate = { type: 'RateTurn' as const, by: 'u1', rating: 'DOWN' as const, comment: 'wrong', at: at(9) };
    spec.given(ended).when(rate).then([{ type: 'TurnRated', data: { turnId: 't1', rating: 'DOWN', comment: 'wrong', by: 'u1', at: at(9) } }]);
    spec.given(ended).when({ ...rate, by: 'u2' }).thenThrows('FORBIDDEN');
    spec.given(happyUntilAnswer).when(rate).thenThrows('BAD_USER_INPUT', /rated once it has an answer/);
  });
});

describe('turn decider: step outcomes are recorded once', () => {
  it('records the wallet reservation once', () => {
    const input = { type: 'WalletReserved' as const, reservationId: 'turn-t1', amount: 600, deadlineAt: at(60_000), at: at(1) };
    spec.given([e.started]).when(input).then([e.reserved]);
    spec.given([e.started, e.reserved]).when(input).thenNothing();
  });

  it('records retrieval only after the reservation', () => {
    const input = { type: 'Retrieved' as const, chunks: e.retrieved.data.chunks, at: at(2) };
    spec.given([e.started]).when(input).thenNothing();
    spec.given([e.started, e.reserved]).when(input).then([e.retrieved]);
    spec.given([e.started, e.reserved, e.retrieved]).when(input).thenNothing();
  });

  it('does not start generating once a stop was asked', () => {
    const input = { type: 'GenerationStarting' as const, at: at(3) };
    spec.given([e.started, e.reserved, e.retrieved]).when(input).then([e.generating]);
    spec.given([e.started, e.reserved, e.retrieved, e.stopRequested]).when(input).thenNothing();
  });

  it('refuses a late answer after the deadline failed the turn', () => {
    const late = { type: 'AnswerGenerated' as const, outcome: 'completed' as const, answer: 'x', usage, citations: [citation], finishReason: 'stop', at: at(70_000) };
    spec.given([...happyUntilAnswer, e.failed]).when(late).thenNothing();
  });

  it('records a capture or a release, whichever came first, and never the other after it', () => {
    spec.given([...happyUntilAnswer, e.completed]).when(capture(400)).then([e.captured, { type: 'TurnCompleted', data: { turnId: 't1', cost: 400, at: at(5) } }]);
    spec.given([...happyUntilAnswer, e.failed, e.released]).when(capture(400)).thenNothing();
    spec.given([...happyUntilAnswer, e.completed, e.captured]).when(release).thenNothing();
  });
});

describe('turn decider: a turn ends in the append that settles it', () => {
  it('rejects a declined reservation with INSUFFICIENT_FUNDS and nothing charged', () => {
    const declined = { type: 'WalletDeclined' as const, reservationId: 'turn-t1', amount: 600, available: 10, at: at(1) };
    spec.given([e.started]).when(declined).then([
      e.declined,
      {
        type: 'TurnRejected',
        data: {
          turnId: 't1',
          code: 'INSUFFICIENT_FUNDS',
          reason: 'insufficient funds: this question may cost up to 600 micro-credits, 10 available',
          needed: 600,
          available: 10,
          at: at(1),
        },
      },
    ]);
  });

  it('fails a failed answer when its hold is released', () => {
    spec.given([...happyUntilAnswer, e.failed]).when(release).then([e.released, { type: 'TurnFailed', data: { turnId: 't1', reason: 'too late', at: at(5) } }]);
  });

  it('fails, unbilled, a completed answer whose hold was released before the charge', () => {
    spec.given([...happyUntilAnswer, e.completed]).when(release).then([
      e.released,
      { type: 'TurnFailed', data: { turnId: 't1', reason: 'the hold was released before the charge: too late', at: at(5) } },
    ]);
  });

  it('stops with the partial charge', () => {
    const stopped = { type: 'AnswerStopped' as const, data: { turnId: 't1', userId: 'u1', answer: 'A pump', usage, citations: [], at: at(4) } };
    const captured = { ...e.captured, data: { ...e.captured.data, amount: 123, released: 477 } };
    spec.given([...happyUntilAnswer, e.stopRequested, stopped]).when(capture(123, 477)).then([captured, { type: 'TurnStopped', data: { turnId: 't1', cost: 123, at: at(5) } }]);
  });
});
