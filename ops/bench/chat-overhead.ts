/**
 * Ask to first token, in the embedded default (PGlite, saga in process) with the app in this process and a chat
 * model served by the OpenAI stub server: `askers` users, signed up and connected first, ask at once, each
 * `warmRounds` unmeasured questions and then `rounds` measured ones, one after another, each reading the answer on answerStream over the one WebSocket it keeps open (as a
 * chat client does; subscribed right after ask returns, the replay covers a token published before the
 * subscription is live). Overhead = ask sent -> first token received, minus the stub's own time to first token (its
 * request received -> first token written). The knowledge bases are empty: retrieval is one BM25 query that finds
 * nothing. Baseline in the same run: the same stub called directly with the `openai` client.
 */
import { createClient, type Client } from 'graphql-ws';
import OpenAI from 'openai';
import WebSocket from 'ws';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';
import { percentile, sortNumbers } from './report.ts';
import { STUB_CHAT_MODEL, stubChatEnv } from './stub-chat-env.ts';

const MODEL = STUB_CHAT_MODEL;
/** How the stub answers (so many tokens, so far apart) and how long an asker thinks before the next question. */
export interface StubPace {
  tokens: number;
  delayMs: number;
  /** Each question waits a random 0..thinkMs first. */
  thinkMs: number;
}

/** Short answers fast, no thinking: 20 askers then keep ~50 questions a second coming (the load). */
export const BURST_PACE: StubPace = { tokens: 20, delayMs: 5, thinkMs: 0 };
const ANSWER_STREAM = 'subscription ($turnId: ID!) { answerStream(turnId: $turnId) { seq delta done } }';
const ASK = 'mutation($kb: ID!, $q: String!) { ask(knowledgeBaseId: $kb, question: $q, maxTokens: 64) { id } }';

export interface OverheadResult {
  p50: number;
  p99: number;
  samples: number;
  /** The first question of every asker after the server started (unmeasured warm-up): overhead p50 / p99. */
  firstRound: { p50: number; p99: number };
  /** Rounds 4 to 13 of every asker (early in the warm-up, when there is one): overhead p50 / p99. */
  early: { p50: number; p99: number };
  /** Of the overhead: ask sent -> the provider's request received (the ask, then the saga up to generation). */
  toProvider: { p50: number; p99: number };
  /** Of the overhead: the provider's first token written -> received on answerStream (the streaming path). */
  toClient: { p50: number; p99: number };
  /** The same stub called directly with the openai client: its overhead p50 / p99. */
  directP50: number;
  directP99: number;
}

interface Sample {
  overhead: number;
  toProvider: number;
  toClient: number;
}

/** The stub's request carrying `question`: when it arrived and when its first token went out. */
function stubTimes(stub: OpenAiStubServer, question: string): { receivedAt: number; firstTokenAt: number } {
  // From the newest: the request is among the last few, and the bench's own lookups must not grow with the run.
  const request = stub.requests.findLast((r) => r.body.messages.some((m) => m.content.includes(question)));
  if (!request?.firstTokenAt) throw new Error(`the stub saw no streamed request for "${question}"`);
  return { receivedAt: request.receivedAt, firstTokenAt: request.firstTokenAt };
}

const spread = (values: number[]) => {
  const sorted = sortNumbers(values);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

interface Asker {
  token: string;
  kb: string;
  socket: Client;
}

async function signUp(app: TestApp, asker: number): Promise<Asker> {
  const email = `asker-${asker}@example.com`;
  const registered = await app.gql<{ register: { accessToken: string } }>(
    `mutation { register(email: "${email}", password: "bench password 1") { accessToken } }`,
  );
  const token = registered.data!.register.accessToken;
  const kb = (await app.gql<{ createKnowledgeBase: { id: string } }>(`mutation { createKnowledgeBase(name: "kb") { id } }`, {}, token)).data!
    .createKnowledgeBase.id;
  const socket = createClient({
    url: `${app.wsUrl}/graphql`,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  return { token, kb, socket };
}

async function askRounds(
  app: TestApp,
  stub: OpenAiStubServer,
  asker: Asker,
  name: string,
  rounds: number,
  thinkMs: () => number,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let round = 0; round < rounds; round++) {
    const think = thinkMs();
    if (think > 0) await new Promise((resolve) => setTimeout(resolve, think));
    const question = `What does pump ${name}-${round} do?`;
    const started = performance.now();
    const asked = await app.gql<{ ask: { id: string } }>(ASK, { kb: asker.kb, q: question }, asker.token);
    if (!asked.data) throw new Error(`ask failed: ${JSON.stringify(asked.errors)}`);
    const stream = asker.socket.iterate<{ answerStream: { delta: string; done: boolean } }>({
      query: ANSWER_STREAM,
      variables: { turnId: asked.data.ask.id },
    });
    let received: number | undefined;
    for await (const result of stream) {
      const chunk = result.data!.answerStream;
      if (chunk.delta && received === undefined) received = performance.now();
      if (chunk.done) break;
    }
    if (received === undefined) throw new Error(`turn ${asked.data.ask.id} ended without a token`);
    const stubbed = stubTimes(stub, question);
    samples.push({
      overhead: received - started - (stubbed.firstTokenAt - stubbed.receivedAt),
      toProvider: stubbed.receivedAt - started,
      toClient: received - stubbed.firstTokenAt,
    });
  }
  return samples;
}

async function directOverheads(stub: OpenAiStubServer, count: number): Promise<number[]> {
  const client = new OpenAI({ baseURL: stub.baseURL, apiKey: 'sk-bench' });
  const overheads: number[] = [];
  for (let i = 0; i < count; i++) {
    const question = `direct ${i}`;
    const started = performance.now();
    const stream = await client.chat.completions.create({ model: MODEL, stream: true, messages: [{ role: 'user', content: question }] });
    for await (const part of stream) {
      if (part.choices[0]?.delta?.content) {
        const stubbed = stubTimes(stub, question);
        overheads.push(performance.now() - started - (stubbed.firstTokenAt - stubbed.receivedAt));
        break;
      }
    }
    stream.controller.abort();
  }
  return overheads;
}

export async function measureOverhead(askers: number, rounds: number, warmRounds = 3, pace: StubPace = BURST_PACE): Promise<OverheadResult> {
  const tokens = Array.from({ length: pace.tokens }, (_, i) => `w${i + 1} `);
  const stub = await startOpenAiStubServer({ fallback: { kind: 'stream', tokens, delayMs: pace.delayMs } });
  const app = await startTestApp({
    env: { ...stubChatEnv(stub.baseURL, 100_000_000), RATE_LIMIT_AUTH_PER_MINUTE: '1000' },
  });
  try {
    const direct = spread(await directOverheads(stub, 50));
    // Everyone signs up (argon2) and connects before anyone asks, so that sign-ups are not measured as asking. Then
    // `warmRounds` unmeasured rounds: a server that has just started answers its first questions several times
    // slower (the JIT has not optimised the paths yet, and every asker's wallet and knowledge base are read for the
    // first time; measured: the first round, 20 asks at the same instant, p50 ~350 ms, falling to ~90 ms by the
    // sixth). The first round's figures are kept and reported apart.
    const clients = await Promise.all(Array.from({ length: askers }, (_, i) => signUp(app, i)));
    // Each asker goes straight on from its warm-up to the measured questions: a barrier in between would make the
    // first measured round a burst of 20 asks at the same instant, which chat users do not do.
    // Think time: uniform in [0, thinkMs), from a fixed-seed sequence, so that askers whose answers all take as long
    // do not stay in step (20 asks at one instant every answer).
    let seed = 42;
    const think = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return (seed / 2 ** 31) * pace.thinkMs;
    };
    const asked = await Promise.all(clients.map((client, i) => askRounds(app, stub, client, `${i}`, warmRounds + rounds, think)));
    const samples = asked.flatMap((questions) => questions.slice(warmRounds));
    await Promise.all(clients.map((client) => client.socket.dispose()));
    const overhead = spread(samples.map((s) => s.overhead));
    return {
      ...overhead,
      firstRound: spread(asked.map((questions) => questions[0]!.overhead)),
      early: spread(asked.flatMap((questions) => questions.slice(3, 13)).map((s) => s.overhead)),
      samples: samples.length,
      toProvider: spread(samples.map((s) => s.toProvider)),
      toClient: spread(samples.map((s) => s.toClient)),
      directP50: direct.p50,
      directP99: direct.p99,
    };
  } finally {
    await app.close();
    await stub.close();
  }
}
