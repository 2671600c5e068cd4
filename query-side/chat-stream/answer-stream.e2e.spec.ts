/**
 * answerStream over real WebSockets against the GraphQL server alone, the saga played by the test publishing to the
 * in-process feed: replay, resume, completion, refusal, and a client that stops reading.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import { DomainError } from '../../contracts/errors.ts';
import type { TurnView } from '../../contracts/turn-commands.ts';
import { startTestServer, type TestServer } from '../server/server.testing.ts';
import { createAnswerStreamResolvers } from './answer-stream-resolvers.ts';
import { createMemoryAnswerFeed } from './memory-answer-feed.ts';

const ANSWER_STREAM = `subscription ($turnId: ID!, $afterSeq: Int) {
  answerStream(turnId: $turnId, afterSeq: $afterSeq) { turnId seq delta done status citations { n documentName } }
}`;
type Chunk = Pick<AnswerChunk, 'turnId' | 'seq' | 'delta' | 'done' | 'status'>;
type Result = { answerStream: Chunk };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

const MAX_PENDING = 64 * 1024;

describe('answerStream over graphql-ws (server with the in-process feed)', () => {
  const feed = createMemoryAnswerFeed({ maxBufferedChars: 64 * 1024 * 1024 });
  const statuses = new Map<string, TurnView['status']>();
  let server: TestServer;
  let owner: string;
  let other: string;
  const turnView = (id: string): TurnView => ({
    id,
    conversationId: 'c',
    knowledgeBaseId: 'kb',
    userId: 'owner',
    question: 'q',
    status: statuses.get(id) ?? 'generating',
    answer: null,
    error: null,
    errorCode: null,
    fundsNeeded: null,
    fundsAvailable: null,
    citations: [],
    cost: null,
    usage: null,
    feedback: null,
    regeneratedFrom: null,
    createdAt: new Date(0).toISOString(),
  });
  beforeAll(async () => {
    const resolvers = createAnswerStreamResolvers({
      feed,
      maxPendingChars: MAX_PENDING,
      turn: async (actor, turnId) => {
        if (actor.id !== 'owner') throw new DomainError('FORBIDDEN', 'this turn belongs to someone else');
        return turnView(turnId);
      },
    });
    server = await startTestServer({ resolvers: [resolvers] });
    owner = await server.tokens.issueAccessToken({ id: 'owner', role: 'member', email: 'o@example.com' });
    other = await server.tokens.issueAccessToken({ id: 'other', role: 'member', email: 'x@example.com' });
  });
  afterAll(async () => server?.close());

  const say = (turnId: string, seq: number, delta: string) => feed.publish({ turnId, seq, delta, done: false });
  const end = (turnId: string, seq: number) => {
    statuses.set(turnId, 'completed');
    feed.publish({ turnId, seq, delta: '', done: true, status: 'completed', citations: [] });
  };

  it('resuming with the last seq: the missing chunks, then live ones, then done, then the server completes', async () => {
    const turnId = 'resume';
    say(turnId, 1, 'Pumps ');
    const first = server.subscribe<Result>(ANSWER_STREAM, { turnId, afterSeq: 0 }, { token: owner });
    expect((await first.next()).data?.answerStream).toMatchObject({ seq: 1, delta: 'Pumps ', done: false });
    await first.close();
    say(turnId, 2, 'move ');
    say(turnId, 3, 'water ');
    const second = server.subscribe<Result>(ANSWER_STREAM, { turnId, afterSeq: 1 }, { token: owner });
    const replayed = (await second.next()).data!.answerStream;
    // Both missed chunks, merged or not.
    const received = [replayed];
    while (received.at(-1)!.seq < 3) received.push((await second.next()).data!.answerStream);
    say(turnId, 4, 'uphill.');
    end(turnId, 5);
    await second.done;
    const all = [...received, ...second.received.slice(received.length).map((r) => r.data!.answerStream)];
    expect(all.map((c) => c.delta).join('')).toBe('move water uphill.');
    expect(all.at(-1)).toMatchObject({ seq: 5, done: true, status: 'completed' });
    const seqs = all.map((c) => c.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
  });

  it("refuses someone else's turn with FORBIDDEN", async () => {
    const denied = server.subscribe(ANSWER_STREAM, { turnId: 'resume', afterSeq: 0 }, { token: other });
    await expect(denied.next(10_000)).rejects.toThrow(/"code":"FORBIDDEN"/);
  });

  it('a client that stops reading is ended with SLOW_CONSUMER (its queue bounded), then resumes with afterSeq', async () => {
    const turnId = 'stalled';
    const client = await rawSubscription(server.wsUrl, owner, { query: ANSWER_STREAM, variables: { turnId, afterSeq: 0 } });
    say(turnId, 1, 'start ');
    await until(() => client.chunks.length === 1);
    client.pause();
    // Far more than the socket buffers and the bound hold: the server must drop this subscriber, not keep it all.
    const piece = 'x'.repeat(1000);
    let seq = 1;
    for (let round = 0; round < 60 && feed.listening > 0; round++) {
      for (let i = 0; i < 500; i++) say(turnId, ++seq, piece);
      await sleep(20);
    }
    expect(feed.listening).toBe(0);
    end(turnId, ++seq);
    client.resume();
    await until(() => client.error !== undefined);
    expect(JSON.stringify(client.error)).toContain('SLOW_CONSUMER');
    const lastSeq = client.chunks.at(-1)!.seq;
    client.close();

    const resumed = server.subscribe<Result>(ANSWER_STREAM, { turnId, afterSeq: lastSeq }, { token: owner });
    await resumed.done;
    const text = [...client.chunks, ...resumed.received.map((r) => r.data!.answerStream)].map((c) => c.delta).join('');
    expect(text).toBe('start ' + piece.repeat(seq - 2));
  });
});

/** A graphql-transport-ws client on a bare socket, so the test can stop reading from it. */
async function rawSubscription(wsUrl: string, token: string, payload: { query: string; variables: Record<string, unknown> }) {
  const socket = new WebSocket(`${wsUrl}/graphql`, 'graphql-transport-ws');
  const chunks: Chunk[] = [];
  const state: { error?: unknown } = {};
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const acked = new Promise<void>((resolve) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: { data?: Result } | unknown[] };
      if (message.type === 'connection_ack') resolve();
      if (message.type === 'next') chunks.push((message.payload as { data: Result }).data.answerStream);
      if (message.type === 'error') state.error = message.payload;
    });
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await acked;
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload }));
  const tcp = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return {
    chunks,
    get error() {
      return state.error;
    },
    pause: () => tcp.pause(),
    resume: () => tcp.resume(),
    close: () => socket.close(),
  };
}
