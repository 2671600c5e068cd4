import { describe, expect, it } from 'vitest';
import { answerOf, citationsOf, isRateable, isStreaming, statusOf, type ChatTurn, type ServerTurn } from './chat-turn';
import type { AnswerProgress, Citation } from './useAnswerStream';

const CITATIONS: Citation[] = [{ n: 1, documentId: 'd', documentName: 'guide.md', excerpt: 'x' }];

const serverTurn = (overrides: Partial<ServerTurn> = {}): ServerTurn => ({
  id: 't1',
  conversationId: 'c1',
  question: 'How?',
  answer: null,
  status: 'reserving',
  error: null,
  errorCode: null,
  fundsNeeded: null,
  fundsAvailable: null,
  cost: null,
  createdAt: '2026-01-01T00:00:00Z',
  regeneratedFrom: null,
  citations: [],
  usage: null,
  feedback: null,
  ...overrides,
});

const live = (state: Partial<AnswerProgress>): ChatTurn['live'] => ({
  state: { text: '', lastSeq: 0, done: false, status: null, citations: [], error: undefined, ...state },
  stop: () => {},
});

const item = (turn: Partial<ServerTurn>, state?: Partial<AnswerProgress>): ChatTurn => ({
  turn: serverTurn(turn),
  stopping: false,
  ...(state && { live: live(state) }),
});

describe('a chat turn', () => {
  it('streams: the stream’s text, generating once words come, citations not known yet', () => {
    const waiting = item({}, {});
    expect([statusOf(waiting), isStreaming(waiting), answerOf(waiting)]).toEqual(['reserving', true, '']);
    const writing = item({}, { text: 'Press', lastSeq: 1 });
    expect([statusOf(writing), answerOf(writing), citationsOf(writing)]).toEqual(['generating', 'Press', undefined]);
  });

  it('ended on the stream, before the server is read again: the done chunk’s status and citations', () => {
    const ended = item({}, { text: 'Press [1]', lastSeq: 2, done: true, status: 'completed', citations: CITATIONS });
    expect([statusOf(ended), isStreaming(ended), citationsOf(ended)]).toEqual(['completed', false, CITATIONS]);
  });

  it('read again from the server: the server has the last word', () => {
    const settled = item({ status: 'stopped', answer: 'Pre', citations: [] }, { text: 'Press', done: true, status: 'stopped' });
    expect([statusOf(settled), answerOf(settled), citationsOf(settled)]).toEqual(['stopped', 'Pre', []]);
  });

  it('failed: keeps what was streamed when the server recorded no answer', () => {
    const failed = item({ status: 'failed', errorCode: 'ANSWER_FAILED' }, { text: 'Half an ans', done: true, status: 'failed' });
    expect(answerOf(failed)).toBe('Half an ans');
    expect(isRateable(failed)).toBe(true);
  });

  it('is not streaming once its stream failed, and a rejected or running turn cannot be rated', () => {
    expect(isStreaming(item({}, { error: { code: 'FORBIDDEN', message: 'no' } }))).toBe(false);
    expect(isRateable(item({ status: 'rejected' }))).toBe(false);
    expect(isRateable(item({ status: 'generating' }))).toBe(false);
  });
});
