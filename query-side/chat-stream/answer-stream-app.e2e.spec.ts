/**
 * answerStream in the whole app (embedded default, saga in process) over a real graphql-ws client, the answers
 * coming from a real local server speaking the OpenAI streaming protocol: resume with the last seq, replay after the
 * end (also after a restart, when only the events are left), refusal of other users, and a client that leaves
 * without stopping its turn.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import type { TestSubscription } from '../../ops/testing/graphql-clients.ts';
import type { TestApp } from '../../ops/testing/server.ts';
import { ask, createKnowledgeBase, DEPOSIT, finishedTurn, ok, startAppWithChatStub } from '../resolvers/chat.testing.ts';
import { register, type Session } from '../resolvers/identity.testing.ts';

const MODEL = 'stub-chat';
const ANSWER_STREAM = `subscription ($turnId: ID!, $afterSeq: Int) {
  answerStream(turnId: $turnId, afterSeq: $afterSeq) { turnId seq delta done status citations { n chunkId } }
}`;
type Chunk = Pick<AnswerChunk, 'turnId' | 'seq' | 'delta' | 'done' | 'status'>;
type Streamed = { answerStream: Chunk };

const TOKENS = Array.from({ length: 40 }, (_, i) => `t${i + 1} `);

const chunksOf = (subscription: TestSubscription<Streamed>) => subscription.received.map((r) => r.data!.answerStream);
const textOf = (chunks: readonly Chunk[]) => chunks.map((c) => c.delta).join('');

/** Results until one satisfies `stop`; all results so far. */
async function readUntil(subscription: TestSubscription<Streamed>, stop: (chunk: Chunk) => boolean): Promise<Chunk[]> {
  for (;;) {
    const result = await subscription.next(20_000);
    if (stop(result.data!.answerStream)) return chunksOf(subscription);
  }
}

function expectIncreasingSeqs(chunks: readonly Chunk[]) {
  const seqs = chunks.map((c) => c.seq);
  expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
}

describe('answerStream in the app (graphql-ws, OpenAI stub provider)', () => {
  let stub: OpenAiStubServer;
  let app: TestApp;
  let alice: Session;
  let bob: Session;
  let kb: string;
  beforeAll(async () => {
    stub = await startOpenAiStubServer();
    app = await startAppWithChatStub(stub.baseURL, MODEL, { promptPer1k: 1000, completionPer1k: 2000 });
    const admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: alice.user.id, amount: 10_000_000, reference: 'alice-funds' });
    kb = await createKnowledgeBase(app, alice.accessToken, 'Plant');
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await stub?.close();
  });
  beforeEach(() => stub.reset());

  let finished: { id: string; answer: string };

  it('reconnecting with the last seq gets exactly the missing chunks, then the live ones, then done, then completes', async () => {
    stub.script({ kind: 'stream', tokens: TOKENS, delayMs: 40 });
    const turn = await ask(app, alice.accessToken, { kb, question: 'What do pumps do?', maxTokens: 100 });
    const first = app.subscribe<Streamed>(ANSWER_STREAM, { turnId: turn.id, afterSeq: 0 }, alice.accessToken);
    const before = await readUntil(first, (c) => c.seq >= 5);
    await first.close();
    // Tokens keep coming while no one listens.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const lastSeq = before.at(-1)!.seq;
    const second = app.subscribe<Streamed>(ANSWER_STREAM, { turnId: turn.id, afterSeq: lastSeq }, alice.accessToken);
    await second.done;
    const after = chunksOf(second);
    expect(after[0]!.seq).toBeGreaterThan(lastSeq);
    expectIncreasingSeqs([...before, ...after]);
    expect(textOf(before) + textOf(after)).toBe(TOKENS.join(''));
    expect(after.at(-1)).toMatchObject({ done: true, status: 'completed', delta: '' });
    expect(after.slice(0, -1).every((c) => !c.done)).toBe(true);
    const recorded = await finishedTurn(app, alice.accessToken, turn.id);
    expect(recorded.answer).toBe(TOKENS.join(''));
    finished = { id: turn.id, answer: recorded.answer! };
  });

  it('subscribing after the end replays the whole answer, then done', async () => {
    const late = app.subscribe<Streamed>(ANSWER_STREAM, { turnId: finished.id }, alice.accessToken);
    await late.done;
    const chunks = chunksOf(late);
    expect(textOf(chunks)).toBe(finished.answer);
    expect(chunks.at(-1)).toMatchObject({ done: true, status: 'completed' });
    expectIncreasingSeqs(chunks);
  });

  it('minIntervalMs: fewer, larger messages with the same text, the end not held; out of range is BAD_USER_INPUT', async () => {
    stub.script({ kind: 'stream', tokens: TOKENS, delayMs: 10 });
    const turn = await ask(app, alice.accessToken, { kb, question: 'What do gauges do?', maxTokens: 100 });
    const PACED = `subscription ($turnId: ID!, $ms: Int) { answerStream(turnId: $turnId, minIntervalMs: $ms) { turnId seq delta done status } }`;
    const paced = app.subscribe<Streamed>(PACED, { turnId: turn.id, ms: 100 }, alice.accessToken);
    const chunks = await readUntil(paced, (c) => c.done);
    expect(textOf(chunks)).toBe((await finishedTurn(app, alice.accessToken, turn.id)).answer);
    expectIncreasingSeqs(chunks);
    // 40 tokens 10 ms apart (~400 ms): a message every 100 ms at most, plus the end.
    expect(chunks.length).toBeLessThanOrEqual(8);
    expect(chunks.at(-2)!.seq).toBe(TOKENS.length);
    const refused = app.subscribe(PACED, { turnId: turn.id, ms: 5000 }, alice.accessToken);
    await expect(refused.next(10_000)).rejects.toThrow(/BAD_USER_INPUT|minIntervalMs/);
  });

  it("refuses someone else's turn (FORBIDDEN) and an unknown one (NOT_FOUND)", async () => {
    const foreign = app.subscribe(ANSWER_STREAM, { turnId: finished.id }, bob.accessToken);
    await expect(foreign.next(10_000)).rejects.toThrow(/"code":"FORBIDDEN"/);
    const unknown = app.subscribe(ANSWER_STREAM, { turnId: 'no-such-turn' }, alice.accessToken);
    await expect(unknown.next(10_000)).rejects.toThrow(/"code":"NOT_FOUND"/);
  });

  it('a client that disconnects does not stop its turn: it completes and can be read again', async () => {
    stub.script({ kind: 'stream', tokens: TOKENS.slice(0, 10), delayMs: 30 });
    const turn = await ask(app, alice.accessToken, { kb, question: 'And valves?', maxTokens: 100 });
    const leaving = app.subscribe<Streamed>(ANSWER_STREAM, { turnId: turn.id }, alice.accessToken);
    await readUntil(leaving, (c) => c.seq >= 1);
    await leaving.close();
    const recorded = await finishedTurn(app, alice.accessToken, turn.id);
    expect(recorded).toMatchObject({ status: 'completed', answer: TOKENS.slice(0, 10).join('') });
  });

  it('after a restart (the in-process buffer is gone) the whole answer is replayed from the events', async () => {
    await app.restart();
    const replay = app.subscribe<Streamed>(ANSWER_STREAM, { turnId: finished.id, afterSeq: 0 }, alice.accessToken);
    await replay.done;
    const chunks = chunksOf(replay);
    expect(chunks).toEqual([
      { turnId: finished.id, seq: 1, delta: finished.answer, done: false, status: null, citations: null },
      { turnId: finished.id, seq: 2, delta: '', done: true, status: 'completed', citations: [] },
    ]);
  });
});
