/**
 * `npm run bench -- openai-compat` (issue 13, point 5): what POST /v1/chat/completions adds over GraphQL `ask` +
 * `answerStream` for the same question, in the same run on the same app (embedded default, saga in process, a
 * chat model served by the OpenAI stub server, 20 tokens 5 ms apart). One client asks one question at a time,
 * alternating the two paths so both see the same conditions: GraphQL `ask` over HTTP, then `answerStream` over the
 * WebSocket it keeps open (as the web app does); and OpenAI's client streaming from /v1 with an API key that has
 * every limit (requests per minute, credits per day, knowledge bases), so each request pays for all its checks.
 * Measured from sending the question to the first token, and to the end of the answer; the goal is on the p50 of
 * the first-token difference. Twice: embedded, then with REDIS_URL (counters, answer feed and pub/sub in Redis).
 * CHAT_BENCH_SCALE (default 1) shrinks the run.
 * Runnable alone: `npx tsx ops/bench/openai-compat.ts`.
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startOpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { createApiKey, openAiClient } from '../../query-side/openai-compat/openai-compat.testing.ts';
import { startTestApp } from '../testing/server.ts';
import { below, percentile, sortNumbers, type BenchRow } from './report.ts';
import { stubChatEnv } from './stub-chat-env.ts';

const SCALE = Number(process.env.CHAT_BENCH_SCALE ?? '1');
const ASK = 'mutation($kb: ID!, $q: String!) { ask(knowledgeBaseId: $kb, question: $q, maxTokens: 64) { id } }';
const ANSWER_STREAM = 'subscription ($turnId: ID!) { answerStream(turnId: $turnId) { seq delta done } }';

interface Timing {
  firstToken: number;
  done: number;
}

const p50 = (values: number[]) => percentile(sortNumbers(values), 50);
const p99 = (values: number[]) => percentile(sortNumbers(values), 99);

export async function bench(): Promise<BenchRow[]> {
  return [
    ...(await measure('openai-compat', { redis: false, rounds: Math.max(10, Math.round(100 * SCALE)) })),
    ...(await measure('openai-compat.redis', { redis: true, rounds: Math.max(10, Math.round(50 * SCALE)) })),
  ];
}

/**
 * One app, embedded (limits, revocations and the answer feed in process) or with REDIS_URL (the key's rate and
 * credits counters, the answer feed and pub/sub in Redis, as several api instances run).
 */
async function measure(prefix: string, options: { redis: boolean; rounds: number }): Promise<BenchRow[]> {
  const { rounds } = options;
  const warm = 10;
  const tokens = Array.from({ length: 20 }, (_, i) => `w${i + 1} `);
  const stub = await startOpenAiStubServer({ fallback: { kind: 'stream', tokens, delayMs: 5 } });
  const app = await startTestApp({
    redis: options.redis,
    env: stubChatEnv(stub.baseURL, 1_000_000_000),
  });
  try {
    const registered = await app.gql<{ register: { accessToken: string } }>(
      `mutation { register(email: "bench@example.com", password: "bench password 1") { accessToken } }`,
    );
    const token = registered.data!.register.accessToken;
    const kb = (await app.gql<{ createKnowledgeBase: { id: string } }>(`mutation { createKnowledgeBase(name: "kb") { id } }`, {}, token)).data!
      .createKnowledgeBase.id;
    const key = await createApiKey(app, token, 'bench', { knowledgeBaseIds: [kb], requestsPerMinute: 100_000, creditsPerDay: 900_000_000 });
    const client = openAiClient(app.url, key.key);
    const socket = createClient({ url: `${app.wsUrl}/graphql`, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });

    const viaGraphql = async (question: string): Promise<Timing> => {
      const started = performance.now();
      const asked = await app.gql<{ ask: { id: string } }>(ASK, { kb, q: question }, token);
      if (!asked.data) throw new Error(`ask failed: ${JSON.stringify(asked.errors)}`);
      let firstToken: number | undefined;
      for await (const result of socket.iterate<{ answerStream: { delta: string; done: boolean } }>({ query: ANSWER_STREAM, variables: { turnId: asked.data.ask.id } })) {
        const chunk = result.data!.answerStream;
        if (chunk.delta && firstToken === undefined) firstToken = performance.now() - started;
        if (chunk.done) break;
      }
      return { firstToken: firstToken!, done: performance.now() - started };
    };
    const viaOpenAi = async (question: string): Promise<Timing> => {
      const started = performance.now();
      const stream = await client.chat.completions.create({ model: `kb:${kb}`, messages: [{ role: 'user', content: question }], stream: true, max_tokens: 64 });
      let firstToken: number | undefined;
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content && firstToken === undefined) firstToken = performance.now() - started;
      return { firstToken: firstToken!, done: performance.now() - started };
    };

    const graphql: Timing[] = [];
    const openai: Timing[] = [];
    for (let round = 0; round < warm + rounds; round++) {
      // Alternate which goes first, so neither always follows the other's answer.
      const pair = round % 2 === 0 ? [viaGraphql, viaOpenAi] : [viaOpenAi, viaGraphql];
      const [a, b] = [await pair[0]!(`What does pump ${round}a do?`), await pair[1]!(`What does pump ${round}b do?`)];
      if (round < warm) continue;
      const [g, o] = round % 2 === 0 ? [a, b] : [b, a];
      graphql.push(g);
      openai.push(o);
    }
    await socket.dispose();

    const first = { graphql: graphql.map((t) => t.firstToken), openai: openai.map((t) => t.firstToken) };
    const done = { graphql: graphql.map((t) => t.done), openai: openai.map((t) => t.done) };
    const extraFirst = p50(first.openai) - p50(first.graphql);
    const extraDone = p50(done.openai) - p50(done.graphql);
    const load = `load ${loadavg()[0]!.toFixed(1)}`;
    const samples = `${rounds} questions each way after ${warm} unmeasured pairs, one at a time, alternating`;
    return [
      {
        name: `${prefix}.first-token.extra.p50`,
        value: extraFirst,
        unit: 'ms',
        ...below(extraFirst, 10),
        note: `p50 /v1/chat/completions (stream) ${p50(first.openai).toFixed(1)} - ask + answerStream ${p50(first.graphql).toFixed(1)} ms; ${samples}; ${load}`,
      },
      {
        name: `${prefix}.first-token.p99`,
        value: p99(first.openai),
        unit: 'ms',
        note: `ask + answerStream p99 ${p99(first.graphql).toFixed(1)} ms`,
      },
      {
        name: `${prefix}.whole-answer.extra.p50`,
        value: extraDone,
        unit: 'ms',
        note: `to the end of a 20-token answer: p50 ${p50(done.openai).toFixed(1)} vs ${p50(done.graphql).toFixed(1)} ms (usage and citations read from the turn before [DONE])`,
      },
    ];
  } finally {
    await app.close();
    await stub.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  for (const row of await bench()) console.log(JSON.stringify(row));
  process.exit(0);
}
