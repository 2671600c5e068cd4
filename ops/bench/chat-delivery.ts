/**
 * Answer delivery at scale, one server instance: the GraphQL server (fastify + mercurius, graphql-ws) serving
 * answerStream from the in-process answer feed, and `streams` clients in another process (chat-stream-clients.ts).
 * The publisher plays the saga: it publishes each token to the feed the moment "the provider sent it", stamped
 * with that time, on the server's event loop as the saga would.
 * - throughput: every stream's tokens published as fast as the loop allows (rounds of one token per stream, a turn
 *   of the loop for delivery every 2 ms); aggregate tokens/s from the first publish to the last token received;
 * - paced: every stream at `tokensPerSecond`, phases spread, for `seconds`; per-token latency publish -> receipt.
 * Both check that every token arrived once and in order.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TurnView } from '../../contracts/turn-commands.ts';
import { createAnswerStreamResolvers } from '../../query-side/chat-stream/answer-stream-resolvers.ts';
import { createMemoryAnswerFeed, type MemoryAnswerFeed } from '../../query-side/chat-stream/memory-answer-feed.ts';
import { startTestServer, type TestServer } from '../../query-side/server/server.testing.ts';
import type { ClientJob, ClientReport } from './chat-stream-clients.ts';

const CLIENTS = fileURLToPath(new URL('./chat-stream-clients.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const wallClock = () => performance.timeOrigin + performance.now();
const turnOfLoop = () => new Promise((resolve) => setImmediate(resolve));

export interface DeliveryResult {
  report: ClientReport;
  published: number;
  seconds: number;
}

interface DeliveryServer {
  server: TestServer;
  feed: MemoryAnswerFeed;
  token: string;
}

async function startDeliveryServer(): Promise<DeliveryServer> {
  const feed = createMemoryAnswerFeed();
  const view = (id: string): TurnView => ({
    id, conversationId: 'c', knowledgeBaseId: 'kb', userId: 'bench', question: 'q', status: 'generating', answer: null,
    error: null, errorCode: null, fundsNeeded: null, fundsAvailable: null, citations: [], cost: null, usage: null, feedback: null, regeneratedFrom: null,
    createdAt: new Date(0).toISOString(),
  });
  const resolvers = createAnswerStreamResolvers({ feed, turn: async (_actor, turnId) => view(turnId) });
  const server = await startTestServer({ resolvers: [resolvers] });
  const token = await server.tokens.issueAccessToken({ id: 'bench', role: 'member', email: 'bench@example.com' });
  return { server, feed, token };
}

/** Starts the clients, waits until every stream listens on the server, runs `publish`, then gathers the report. */
async function withClients(
  streams: number,
  publish: (feed: MemoryAnswerFeed, turnIds: string[]) => Promise<number>,
): Promise<DeliveryResult> {
  const { server, feed, token } = await startDeliveryServer();
  const child = fork(CLIENTS, [], { execArgv: ['--import', TSX], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const turnIds = Array.from({ length: streams }, (_, i) => `bench-${Date.now().toString(36)}-${i}`);
    const reported = new Promise<ClientReport>((resolve, reject) => {
      child.once('message', (report) => resolve(report as ClientReport));
      child.once('exit', (code) => reject(new Error(`the clients' process exited with ${code}`)));
    });
    child.send({ wsUrl: server.wsUrl, token, turnIds } satisfies ClientJob);
    const deadline = Date.now() + 60_000;
    while (feed.listening < streams) {
      if (Date.now() > deadline) throw new Error(`only ${feed.listening} of ${streams} streams subscribed`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const started = wallClock();
    const published = await publish(feed, turnIds);
    const report = await reported;
    return { report, published, seconds: (report.lastAt - started) / 1000 };
  } finally {
    child.kill();
    await server.close();
  }
}

const token = (n: number) => `${n}@${wallClock().toFixed(3)};`;

function finish(feed: MemoryAnswerFeed, turnIds: readonly string[], lastSeqs: readonly number[]): void {
  turnIds.forEach((turnId, i) =>
    feed.publish({ turnId, seq: lastSeqs[i]! + 1, delta: '', done: true, status: 'completed', citations: [] }),
  );
}

/** Loop time the publisher takes before it lets delivery run: tokens come faster than one message each can go. */
const PUBLISH_SLICE_MS = 2;

/** Every stream's `tokens` published as fast as the loop allows, sharing it with delivery. */
export const measureThroughput = (streams: number, tokens: number) =>
  withClients(streams, async (feed, turnIds) => {
    let slice = performance.now();
    for (let n = 1; n <= tokens; n++) {
      for (const turnId of turnIds) feed.publish({ turnId, seq: n, delta: token(n), done: false });
      if (performance.now() - slice >= PUBLISH_SLICE_MS) {
        await turnOfLoop();
        slice = performance.now();
      }
    }
    finish(feed, turnIds, turnIds.map(() => tokens));
    return streams * tokens;
  });

/** Every stream at `perSecond` tokens for `seconds`, phases spread over the interval. */
export const measurePaced = (streams: number, perSecond: number, seconds: number) =>
  withClients(streams, async (feed, turnIds) => {
    const interval = 1000 / perSecond;
    const total = Math.round(perSecond * seconds);
    const sent = turnIds.map(() => 0);
    const start = performance.now();
    const phase = (i: number) => (i / turnIds.length) * interval;
    while (sent.some((count) => count < total)) {
      const elapsed = performance.now() - start;
      turnIds.forEach((turnId, i) => {
        const due = Math.min(total, Math.floor((elapsed - phase(i)) / interval) + 1);
        while (sent[i]! < due) {
          const n = ++sent[i]!;
          feed.publish({ turnId, seq: n, delta: token(n), done: false });
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    finish(feed, turnIds, sent);
    return streams * total;
  });
