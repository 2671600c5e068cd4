import { describe, expect, it } from 'vitest';
import { e, PRICE, started, usage } from '../../command-side/turns/turn-fixtures.testing.ts';
import type { JsonObject, RecordedEvent } from '../../contracts/eventstore.ts';
import { turnTrailOf } from './turn-trail.ts';

let sequence = 0;
/** An event as the log returns it, at the next position. */
function logged(streamId: string, revision: number, event: { type: string; data: object }): RecordedEvent {
  sequence++;
  return {
    id: `id-${sequence}`,
    type: event.type,
    data: event.data as JsonObject,
    metadata: {},
    streamId,
    revision,
    position: `${sequence}-0`,
    createdAt: new Date(Date.UTC(2030, 0, 1, 0, 0, sequence)).toISOString(),
  };
}

const wallet = (type: string, data: object) => ({ type, data: { userId: 'u1', turnId: 't1', reservationId: 'turn-t1', ...data } });
const reservedInWallet = wallet('FundsReserved', { amount: 600, balanceAfter: 5000, reservedAfter: 600 });
const capturedInWallet = (amount: number, released: number) =>
  wallet('FundsCaptured', {
    amount,
    reserved: 600,
    released,
    model: usage.model,
    promptTokens: usage.promptTokens,
    completionTokens: usage.completionTokens,
    price: PRICE,
    balanceAfter: 5000 - amount,
    reservedAfter: 0,
  });

/** A completed turn's streams, with another turn's hold in the same wallet between its events. */
function completedTurn(capture = capturedInWallet(400, 200), cost = 400) {
  const conversation = [
    logged('conversation-c1', 0, { type: 'ConversationStarted', data: { conversationId: 'c1', userId: 'u1', knowledgeBaseId: 'kb1', title: 'q', startedAt: started.startedAt } }),
    logged('conversation-c1', 1, { type: 'ConversationTurnAdded', data: { conversationId: 'c1', turnId: 't1', at: started.startedAt } }),
  ];
  const turn = [logged('turn-t1', 0, e.started)];
  const walletEvents = [
    logged('wallet-u1', 3, reservedInWallet),
    logged('wallet-u1', 4, { type: 'FundsReserved', data: { userId: 'u1', reservationId: 'turn-t2', turnId: 't2', amount: 7, balanceAfter: 5000, reservedAfter: 607 } }),
  ];
  turn.push(logged('turn-t1', 1, e.reserved), logged('turn-t1', 2, e.retrieved), logged('turn-t1', 3, e.generating), logged('turn-t1', 4, e.completed));
  walletEvents.push(logged('wallet-u1', 5, capture));
  turn.push(logged('turn-t1', 5, e.captured), logged('turn-t1', 6, { type: 'TurnCompleted', data: { turnId: 't1', cost, at: started.startedAt } }));
  return { conversation, turn, wallet: walletEvents };
}

describe('a turn trail', () => {
  it('lists the chain across the conversation, turn and wallet streams in log order, without other turns\' holds', () => {
    const trail = turnTrailOf(completedTurn())!;
    expect(trail.events.map((event) => `${event.streamId}:${event.type}`)).toEqual([
      'conversation-c1:ConversationStarted',
      'conversation-c1:ConversationTurnAdded',
      'turn-t1:TurnStarted',
      'wallet-u1:FundsReserved',
      'turn-t1:TurnFundsReserved',
      'turn-t1:RetrievalCompleted',
      'turn-t1:GenerationStarted',
      'turn-t1:AnswerCompleted',
      'wallet-u1:FundsCaptured',
      'turn-t1:TurnFundsCaptured',
      'turn-t1:TurnCompleted',
    ]);
    expect(trail).toMatchObject({ status: 'completed', model: 'test-model', price: PRICE, question: started.question, usage });
    expect(trail.retrieved).toEqual([expect.objectContaining({ documentId: 'd1', revision: 1, score: 1 })]);
  });

  it('explains the charge as the usage at the price, within the hold', () => {
    // 300 prompt tokens at 1,000 + 50 completion tokens at 2,000 per 1,000 = 400.
    expect(turnTrailOf(completedTurn())!.charge).toEqual({
      settlement: 'captured',
      hold: 600,
      usageCost: 400,
      expected: 400,
      charged: 400,
      problems: [],
    });
  });

  it('names a capture that is not the usage at the price', () => {
    const trail = turnTrailOf(completedTurn(capturedInWallet(450, 150), 450))!;
    expect(trail.charge).toMatchObject({ charged: 450, expected: 400 });
    expect(trail.charge.problems).toEqual(['the wallet charged 450, the usage at the price within the hold is 400']);
  });

  it('charges nothing for a released hold, and leaves out the ConversationStarted of a conversation begun by an earlier turn', () => {
    const conversation = [
      logged('conversation-c1', 0, { type: 'ConversationStarted', data: { conversationId: 'c1', userId: 'u1', knowledgeBaseId: 'kb1', title: 'q', startedAt: started.startedAt } }),
      logged('conversation-c1', 1, { type: 'ConversationTurnAdded', data: { conversationId: 'c1', turnId: 't0', at: started.startedAt } }),
      logged('conversation-c1', 2, { type: 'ConversationTurnAdded', data: { conversationId: 'c1', turnId: 't1', at: started.startedAt } }),
    ];
    const turn = [logged('turn-t1', 0, e.started)];
    const walletEvents = [logged('wallet-u1', 3, reservedInWallet)];
    turn.push(logged('turn-t1', 1, e.reserved), logged('turn-t1', 2, e.failed));
    walletEvents.push(logged('wallet-u1', 4, wallet('FundsReleased', { amount: 600, reason: 'too late', balanceAfter: 5000, reservedAfter: 0 })));
    turn.push(logged('turn-t1', 3, e.released), logged('turn-t1', 4, { type: 'TurnFailed', data: { turnId: 't1', reason: 'too late', at: started.startedAt } }));

    const trail = turnTrailOf({ conversation, turn, wallet: walletEvents })!;
    expect(trail.events.filter((event) => event.streamId.startsWith('conversation-')).map((event) => event.revision)).toEqual([2]);
    expect(trail.status).toBe('failed');
    expect(trail.charge).toEqual({ settlement: 'released', hold: 600, usageCost: null, expected: 0, charged: 0, problems: [] });
  });

  it('charges nothing for a declined hold', () => {
    const turn = [logged('turn-t1', 0, e.started)];
    const walletEvents = [logged('wallet-u1', 0, wallet('ReservationDeclined', { amount: 600, available: 10, balanceAfter: 10, reservedAfter: 0 }))];
    turn.push(logged('turn-t1', 1, e.declined), logged('turn-t1', 2, {
      type: 'TurnRejected',
      data: { turnId: 't1', code: 'INSUFFICIENT_FUNDS', reason: 'not enough', needed: 600, available: 10, at: started.startedAt },
    }));
    const trail = turnTrailOf({ conversation: [], turn, wallet: walletEvents })!;
    expect(trail.status).toBe('rejected');
    expect(trail.charge).toMatchObject({ settlement: 'declined', charged: 0, expected: 0, problems: [] });
  });

  it('says so when a turn ended while the wallet still holds its funds', () => {
    const { conversation, turn, wallet: walletEvents } = completedTurn();
    const trail = turnTrailOf({ conversation, turn, wallet: walletEvents.filter((event) => event.type !== 'FundsCaptured') })!;
    expect(trail.charge.settlement).toBeNull();
    expect(trail.charge.problems).toEqual(['the turn ended (TurnCompleted) but its hold is still open']);
  });

  it('is undefined for a stream without a question', () => {
    expect(turnTrailOf({ conversation: [], turn: [], wallet: [] })).toBeUndefined();
  });
});
