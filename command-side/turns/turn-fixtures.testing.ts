/** Turn events and inputs for the unit specifications (test code only). */
import type { TurnEvent } from '../../contracts/turns.ts';
import type { TurnStartedData } from './state.ts';

export const T0 = '2030-01-01T00:00:00.000Z';
export const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
export const PRICE = { promptPer1k: 1000, completionPer1k: 2000 };

export const started: TurnStartedData = {
  turnId: 't1',
  conversationId: 'c1',
  userId: 'u1',
  knowledgeBaseId: 'kb1',
  question: 'What is a pump?',
  maxTokens: 100,
  model: 'test-model',
  price: PRICE,
  promptEstimate: 400,
  reservationAmount: 600,
  historyTurnIds: [],
  regeneratedFrom: null,
  startedAt: T0,
};

export const usage = { model: 'test-model', promptTokens: 300, completionTokens: 50, reported: true };
export const chunk = {
  n: 1,
  chunkId: 'd1:1:0',
  documentId: 'd1',
  revision: 1,
  documentName: 'Pumps',
  headingPath: ['Pumps'],
  score: 1,
  text: 'A pump moves water.',
};
export const citation = { n: 1, chunkId: 'd1:1:0', documentId: 'd1', documentName: 'Pumps', excerpt: 'A pump moves water.', score: 1 };

export const e = {
  started: { type: 'TurnStarted', data: started },
  reserved: {
    type: 'TurnFundsReserved',
    data: { turnId: 't1', reservationId: 'turn-t1', amount: 600, deadlineAt: at(60_000), at: at(1) },
  },
  declined: {
    type: 'TurnReservationDeclined',
    data: { turnId: 't1', reservationId: 'turn-t1', amount: 600, available: 10, at: at(1) },
  },
  retrieved: { type: 'RetrievalCompleted', data: { turnId: 't1', chunks: [chunk], at: at(2) } },
  generating: { type: 'GenerationStarted', data: { turnId: 't1', at: at(3) } },
  completed: {
    type: 'AnswerCompleted',
    data: { turnId: 't1', userId: 'u1', answer: 'A pump moves water [1].', usage, citations: [citation], finishReason: 'stop', at: at(4) },
  },
  stopRequested: { type: 'TurnStopRequested', data: { turnId: 't1', by: 'u1', at: at(3) } },
  failed: { type: 'AnswerFailed', data: { turnId: 't1', kind: 'deadline', reason: 'too late', at: at(60_001) } },
  captured: { type: 'TurnFundsCaptured', data: { turnId: 't1', reservationId: 'turn-t1', amount: 400, released: 200, at: at(5) } },
  released: { type: 'TurnFundsReleased', data: { turnId: 't1', reservationId: 'turn-t1', amount: 600, reason: 'too late', at: at(5) } },
  turnCompleted: { type: 'TurnCompleted', data: { turnId: 't1', cost: 400, at: at(6) } },
} satisfies Record<string, TurnEvent>;
