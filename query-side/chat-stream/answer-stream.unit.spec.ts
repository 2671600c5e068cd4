import { describe, expect, it } from 'vitest';
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import { DomainError } from '../../contracts/errors.ts';
import type { TurnActor, TurnView } from '../../contracts/turn-commands.ts';
import type { Citation, TurnStatus } from '../../contracts/turns.ts';
import { openAnswerStream, type AnswerStreamDeps } from './answer-stream.ts';
import { createMemoryAnswerFeed } from './memory-answer-feed.ts';

const OWNER: TurnActor = { id: 'owner', role: 'member' };
const CITATIONS: Citation[] = [{ n: 1, chunkId: 'd:1:0', documentId: 'd', documentName: 'Pumps', excerpt: 'A pump…', score: 0.9 }];

function view(status: TurnStatus, answer: string | null = null): TurnView {
  const spoken = status === 'completed' || status === 'stopped';
  return {
    id: 't1',
    conversationId: 'c1',
    knowledgeBaseId: 'kb1',
    userId: OWNER.id,
    question: 'q?',
    status,
    answer,
    error: null,
    errorCode: null,
    fundsNeeded: null,
    fundsAvailable: null,
    citations: spoken ? CITATIONS : [],
    cost: null,
    usage: null,
    feedback: null,
    regeneratedFrom: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A turn whose recorded state the test sets, and the feed the saga would publish to. */
function setup(options: { retainMs?: number; now?: () => number } = {}) {
  const feed = createMemoryAnswerFeed(options);
  const turn = { current: view('generating') };
  const errors: unknown[] = [];
  const deps: AnswerStreamDeps = {
    feed,
    turn: async (actor, turnId) => {
      if (turnId !== 't1') throw new DomainError('NOT_FOUND', 'no such turn');
      if (actor.id !== OWNER.id) throw new DomainError('FORBIDDEN', 'not yours');
      return turn.current;
    },
    idleCheckMs: 30,
    onError: (error) => errors.push(error),
  };
  const say = (seq: number, text: string) => feed.publish({ turnId: 't1', seq, delta: text, done: false });
  const end = (seq: number) => feed.publish({ turnId: 't1', seq, delta: '', done: true, status: 'completed', citations: CITATIONS });
  return { feed, turn, deps, say, end, errors };
}

async function all(stream: AsyncIterableIterator<AnswerChunk>): Promise<AnswerChunk[]> {
  const out: AnswerChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

const text = (chunks: readonly AnswerChunk[]) => chunks.map((c) => c.delta).join('');

describe('answerStream for one subscriber', () => {
  it('live: every delta in order, then done with status and citations, then the end', async () => {
    const { deps, say, end } = setup();
    const stream = await openAnswerStream(deps, OWNER, 't1', 0);
    const reading = all(stream);
    ['Pumps ', 'move ', 'water [1].'].forEach((t, i) => say(i + 1, t));
    end(4);
    const chunks = await reading;
    expect(text(chunks)).toBe('Pumps move water [1].');
    expect(chunks.at(-1)).toMatchObject({ seq: 4, done: true, status: 'completed', citations: CITATIONS });
    expect(chunks.map((c) => c.seq)).toEqual([...new Set(chunks.map((c) => c.seq))].sort((a, b) => a - b));
  });

  it('reconnecting with its last seq: exactly the missing text, then the live chunks, then done', async () => {
    const { deps, say, end } = setup();
    ['a ', 'b ', 'c ', 'd '].forEach((t, i) => say(i + 1, t));
    const stream = await openAnswerStream(deps, OWNER, 't1', 2);
    const reading = all(stream);
    say(5, 'e ');
    end(6);
    const chunks = await reading;
    expect(text(chunks)).toBe('c d e ');
    expect(chunks.map((c) => [c.seq, c.done])).toEqual([
      [4, false],
      [5, false],
      [6, true],
    ]);
  });

  it('after the end with the buffer kept: the whole answer from the buffer', async () => {
    const { deps, say, end, turn } = setup();
    ['a ', 'b '].forEach((t, i) => say(i + 1, t));
    end(3);
    turn.current = view('completed', 'a b ');
    const chunks = await all(await openAnswerStream(deps, OWNER, 't1', 0));
    expect(chunks).toEqual([
      { turnId: 't1', seq: 2, delta: 'a b ', done: false },
      { turnId: 't1', seq: 3, delta: '', done: true, status: 'completed', citations: CITATIONS },
    ]);
  });

  it('after the end with the buffer expired: the whole answer from the events', async () => {
    let now = 0;
    const { deps, say, end, turn } = setup({ retainMs: 1000, now: () => now });
    ['a ', 'b '].forEach((t, i) => say(i + 1, t));
    end(3);
    turn.current = view('stopped', 'a b ');
    now = 5000;
    const chunks = await all(await openAnswerStream(deps, OWNER, 't1', 0));
    expect(chunks).toEqual([
      { turnId: 't1', seq: 1, delta: 'a b ', done: false },
      { turnId: 't1', seq: 2, delta: '', done: true, status: 'stopped', citations: CITATIONS },
    ]);
  });

  it('after the end with the buffer expired, a mid-answer afterSeq cannot be honoured: CONFLICT REPLAY_EXPIRED', async () => {
    const { deps, turn } = setup();
    turn.current = view('completed', 'a b ');
    await expect(openAnswerStream(deps, OWNER, 't1', 1)).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'REPLAY_EXPIRED' } });
  });

  it('a rejected turn: only the done chunk', async () => {
    const { deps, turn } = setup();
    turn.current = view('rejected');
    expect(await all(await openAnswerStream(deps, OWNER, 't1', 0))).toEqual([
      { turnId: 't1', seq: 1, delta: '', done: true, status: 'rejected', citations: [] },
    ]);
  });

  it('the saga died before publishing done (or lost the last deltas): the recorded answer finishes the stream', async () => {
    const { deps, say, turn } = setup();
    const stream = await openAnswerStream(deps, OWNER, 't1', 0);
    const reading = all(stream);
    ['a ', 'b '].forEach((t, i) => say(i + 1, t));
    turn.current = view('completed', 'a b c');
    const chunks = await reading;
    expect(text(chunks)).toBe('a b c');
    expect(chunks.slice(-2)).toEqual([
      { turnId: 't1', seq: 3, delta: 'c', done: false },
      { turnId: 't1', seq: 4, delta: '', done: true, status: 'completed', citations: CITATIONS },
    ]);
  });

  it('only the owner: others get FORBIDDEN, unknown turns NOT_FOUND, a negative afterSeq BAD_USER_INPUT', async () => {
    const { deps } = setup();
    await expect(openAnswerStream(deps, { id: 'other', role: 'member' }, 't1', 0)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(openAnswerStream(deps, OWNER, 'nope', 0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(openAnswerStream(deps, OWNER, 't1', -1)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('a turn its asker asked here moments ago is followed without reading it; anyone else is still checked', async () => {
    const { deps, say, end } = setup();
    let reads = 0;
    const askedHere: AnswerStreamDeps = {
      ...deps,
      turn: (actor, turnId) => (reads++, deps.turn(actor, turnId)),
      askedHere: (actor, turnId) => actor.id === OWNER.id && turnId === 't1',
    };
    const stream = await openAnswerStream(askedHere, OWNER, 't1', 0);
    expect(reads).toBe(0);
    const reading = all(stream);
    say(1, 'Pumps ');
    end(2);
    expect(text(await reading)).toBe('Pumps ');
    await expect(openAnswerStream(askedHere, { id: 'other', role: 'member' }, 't1', 0)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(reads).toBe(1);
  });

  it('a turn asked here that went quiet is looked at by the idle check, and finished from its events', async () => {
    const { deps, say, turn } = setup();
    const stream = await openAnswerStream({ ...deps, askedHere: () => true }, OWNER, 't1', 0);
    const reading = all(stream);
    say(1, 'a ');
    turn.current = view('completed', 'a b');
    const chunks = await reading;
    expect(text(chunks)).toBe('a b');
    expect(chunks.at(-1)).toMatchObject({ done: true, status: 'completed' });
  });

  it('a subscriber that leaves stops listening; the turn goes on publishing', async () => {
    const { deps, feed, say, end } = setup();
    const stream = await openAnswerStream(deps, OWNER, 't1', 0);
    say(1, 'a ');
    expect((await stream.next()).value).toMatchObject({ seq: 1 });
    await stream.return!();
    say(2, 'b ');
    end(3);
    expect((await feed.read('t1', 0)).map((c) => c.seq)).toEqual([1, 2, 3]);
    const later = await all(await openAnswerStream(deps, OWNER, 't1', 1));
    expect(text(later)).toBe('b ');
  });
});
