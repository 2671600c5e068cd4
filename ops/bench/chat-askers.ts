/**
 * The chat bench's outside world, in a worker thread of its own (chat-overhead.ts starts it): the OpenAI stub
 * server playing the provider, and the askers playing users, each asking over HTTP and reading its answer on
 * answerStream over the one WebSocket it keeps open. The app under test has the process's main thread to itself,
 * as it would in production, where neither the provider nor the users share its event loop; all times are taken
 * here, on one clock.
 *
 * Messages: the worker sends { stub: baseURL }; the parent answers { app: { url, wsUrl } }; the worker sends
 * { done: AskersResult } and, once told { close: true }, closes the stub and ends.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { createClient, type Client } from 'graphql-ws';
import OpenAI from 'openai';
import WebSocket from 'ws';
import { buildPrompt, DEFAULT_PROMPT_BUDGETS } from '../../command-side/turns/generation/index.ts';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { postGraphql } from '../testing/graphql-clients.ts';
import { STUB_CHAT_MODEL } from './stub-chat-env.ts';
import { messageWith } from './thread-messages.ts';

/** How the stub answers (so many tokens, so far apart) and how long an asker thinks before the next question. */
export interface StubPace {
  tokens: number;
  delayMs: number;
  /** Each question waits a random 0..thinkMs first. */
  thinkMs: number;
}

export interface AskersPlan {
  askers: number;
  /** Questions per asker, the unmeasured warm-up ones included. */
  rounds: number;
  /**
   * Then so many more questions per asker, all askers asking at the same instant: each round opens once every asker
   * has read its previous answer, TOGETHER_PAUSE_MS after the last one did (their samples follow `rounds`' ones).
   */
  togetherRounds?: number;
  /** Whether to measure the baseline (directOverheads) first; default true. */
  baseline?: boolean;
  pace: StubPace;
}

export interface Sample {
  overhead: number;
  toProvider: number;
  toClient: number;
}

export interface AskersResult {
  /** Per asker, its questions in order. */
  asked: Sample[][];
  /** The app's provider call made directly with the openai client, as many callers at once as askers: overheads. */
  direct: number[];
}

const ANSWER_STREAM = 'subscription ($turnId: ID!) { answerStream(turnId: $turnId) { seq delta done } }';
const ASK = 'mutation($kb: ID!, $q: String!) { ask(knowledgeBaseId: $kb, question: $q, maxTokens: 64) { id } }';

/** The stub's request carrying `question`: when it arrived and when its first token went out. */
function stubTimes(stub: OpenAiStubServer, question: string): { receivedAt: number; firstTokenAt: number } {
  // From the newest: the request is among the last few, and the bench's own lookups must not grow with the run.
  const request = stub.requests.findLast((r) => r.body.messages.some((m) => m.content.includes(question)));
  if (!request?.firstTokenAt) throw new Error(`the stub saw no streamed request for "${question}"`);
  return { receivedAt: request.receivedAt, firstTokenAt: request.firstTokenAt };
}

/**
 * The askers' `ask`: a plain HTTP request on a kept-alive connection, the same request to the server as fetch's. fetch
 * (undici's web Request, Response and streams) cost the askers' thread ~0.4 ms more per question (its CPU per
 * question 2.0-2.3 ms against 1.5-1.8, three pairs): CPU that the app under test shares.
 */
const keepAlive = new Agent({ keepAlive: true });

function postAsk(url: string, variables: Record<string, unknown>, token: string): Promise<{ data?: { ask: { id: string } }; errors?: unknown }> {
  const body = JSON.stringify({ query: ASK, variables });
  return new Promise((resolve, reject) => {
    const sent = request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent: keepAlive,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (part: string) => (text += part));
        response.on('end', () => {
          try {
            resolve(JSON.parse(text));
          } catch (error) {
            reject(new Error(`ask answered ${response.statusCode} with ${text.slice(0, 200)}: ${String(error)}`));
          }
        });
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

interface Asker {
  token: string;
  kb: string;
  socket: Client;
}

interface App {
  url: string;
  wsUrl: string;
}

async function signUp(app: App, asker: number): Promise<Asker> {
  const email = `asker-${asker}@example.com`;
  const registered = await postGraphql<{ register: { accessToken: string } }>(
    app.url,
    `mutation { register(email: "${email}", password: "bench password 1") { accessToken } }`,
  );
  const token = registered.data!.register.accessToken;
  const kb = (await postGraphql<{ createKnowledgeBase: { id: string } }>(app.url, `mutation { createKnowledgeBase(name: "kb") { id } }`, {}, token)).data!
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

/** Waits before an asker's question `round`: its think time, or for the others (asking together). */
type Gate = (round: number) => Promise<void>;

async function askRounds(app: App, stub: OpenAiStubServer, asker: Asker, name: string, rounds: number, gate: Gate): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let round = 0; round < rounds; round++) {
    await gate(round);
    const question = `What does pump ${name}-${round} do?`;
    const started = performance.now();
    const asked = await postAsk(app.url, { kb: asker.kb, q: question }, asker.token);
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

/** Unmeasured calls per direct caller, then measured ones. */
const DIRECT_WARM_CALLS = 10;
const DIRECT_CALLS = 20;

/**
 * The baseline: the provider call the app makes for a question, made directly with the openai client by as many
 * callers at once as there are askers, each reading whole answers one after another (as the app's generation reads
 * them). The same request body as the app's (its prompt for the question, no passages: the askers' knowledge bases
 * are empty; usage asked for; maxTokens 64), on one kept-alive client, warmed first. What it leaves out is the app.
 */
async function directOverheads(stub: OpenAiStubServer, callers: number): Promise<number[]> {
  const client = new OpenAI({ baseURL: stub.baseURL, apiKey: 'sk-bench', maxRetries: 0 });
  const call = async (caller: number, round: number): Promise<number> => {
    const question = `What does pump direct-${caller}-${round} do?`;
    const { messages } = buildPrompt({ question, history: [], passages: [] }, DEFAULT_PROMPT_BUDGETS);
    const started = performance.now();
    const stream = await client.chat.completions.create({
      model: STUB_CHAT_MODEL,
      messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 64,
    });
    let received: number | undefined;
    for await (const part of stream) if (received === undefined && part.choices[0]?.delta?.content) received = performance.now();
    if (received === undefined) throw new Error(`the direct call for "${question}" had no token`);
    const stubbed = stubTimes(stub, question);
    return received - started - (stubbed.firstTokenAt - stubbed.receivedAt);
  };
  const perCaller = await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      const overheads: number[] = [];
      for (let round = 0; round < DIRECT_WARM_CALLS + DIRECT_CALLS; round++) {
        const overhead = await call(caller, round);
        if (round >= DIRECT_WARM_CALLS) overheads.push(overhead);
      }
      return overheads;
    }),
  );
  return perCaller.flat();
}

/** With the previous answers' writes and projections done, so that a round starts from a quiet server. */
const TOGETHER_PAUSE_MS = 100;

/** Round n opens once all `parties` have reached it, `pauseMs` after the last of them did. */
function barrier(parties: number, pauseMs: number): Gate {
  const rounds = new Map<number, { waiting: number; open: Promise<void>; release: () => void }>();
  return (round) => {
    let entry = rounds.get(round);
    if (!entry) {
      let release!: () => void;
      const open = new Promise<void>((resolve) => (release = resolve));
      entry = { waiting: 0, open, release };
      rounds.set(round, entry);
    }
    if (++entry.waiting === parties) {
      const { release } = entry;
      rounds.delete(round);
      setTimeout(release, pauseMs);
    }
    return entry.open;
  };
}

const next = <T>(key: string): Promise<T> => messageWith<T>(parentPort!, key);

async function run(plan: AskersPlan): Promise<void> {
  const { pace } = plan;
  const tokens = Array.from({ length: pace.tokens }, (_, i) => `w${i + 1} `);
  const stub = await startOpenAiStubServer({ fallback: { kind: 'stream', tokens, delayMs: pace.delayMs } });
  const appReady = next<App>('app');
  parentPort!.postMessage({ stub: stub.baseURL });
  const app = await appReady;
  const direct = plan.baseline === false ? [] : await directOverheads(stub, plan.askers);
  // Everyone signs up (argon2) and connects before anyone asks, so that sign-ups are not measured as asking.
  const clients = await Promise.all(Array.from({ length: plan.askers }, (_, i) => signUp(app, i)));
  // Think time: uniform in [0, thinkMs), from a fixed-seed sequence, so that askers whose answers all take as long
  // do not stay in step (20 asks at one instant every answer).
  let seed = 42;
  const think = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return (seed / 2 ** 31) * pace.thinkMs;
  };
  const thinking: Gate = async () => {
    const ms = think();
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  };
  const together = barrier(plan.askers, TOGETHER_PAUSE_MS);
  const togetherRounds = plan.togetherRounds ?? 0;
  const asked = await Promise.all(
    clients.map((client, i) =>
      askRounds(app, stub, client, `${i}`, plan.rounds + togetherRounds, (round) => (round < plan.rounds ? thinking(round) : together(round))),
    ),
  );
  await Promise.all(clients.map((client) => client.socket.dispose()));
  const closing = next<true>('close');
  parentPort!.postMessage({ done: { asked, direct } satisfies AskersResult });
  await closing;
  await stub.close();
  process.exit(0);
}

await run(workerData.plan as AskersPlan);
