/**
 * SIGTERM on a real `npm start` process (embedded default, the OpenAI-protocol stub answering slowly): the answer in
 * hand finishes and reaches its subscriber whole before the process exits, and /healthz says it is draining. When
 * the answer outlasts SHUTDOWN_GRACE_MS, the process closes anyway and the turn is handed over through the log: the
 * restarted process ends it, releases its hold, and the client resuming with its last seq gets the end, no text twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { ASK, CREATE_KB, TURN, WALLET, type TurnResult, type WalletResult } from '../../query-side/resolvers/chat.testing.ts';
import { PASSWORD, REGISTER, type Session } from '../../query-side/resolvers/identity.testing.ts';
import { until } from '../testing/document-uploads.ts';
import { postGraphql, subscribeGraphql, type TestSubscription } from '../testing/graphql-clients.ts';
import { startRole, type RoleProcess } from '../testing/role-processes.ts';
import { BUILT_WEB_APP_DIR } from '../web-app/build-web-app.ts';

const MODEL = 'stub-chat';
const ANSWER_STREAM = `subscription ($turnId: ID!, $afterSeq: Int) {
  answerStream(turnId: $turnId, afterSeq: $afterSeq) { seq delta done status } }`;
interface Chunk {
  seq: number;
  delta: string;
  done: boolean;
  status: string | null;
}
type Streamed = { answerStream: Chunk };
const tokens = (n: number) => Array.from({ length: n }, (_, i) => `w${i + 1} `);

async function gql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const result = await postGraphql<T>(url, query, variables, token);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

const exited = (role: RoleProcess) =>
  new Promise<number | null>((resolve) => {
    if (role.child.exitCode !== null) resolve(role.child.exitCode);
    else role.child.once('exit', (code) => resolve(code));
  });

/** Chunks until the done chunk (or the connection ends); the subscription's results so far. */
async function readAll(subscription: TestSubscription<Streamed>): Promise<Chunk[]> {
  for (;;) {
    try {
      const result = await subscription.next(30_000);
      if (result.data?.answerStream.done) break;
    } catch {
      break;
    }
  }
  return subscription.received.flatMap((r) => (r.data ? [r.data.answerStream] : []));
}

describe('graceful shutdown (SIGTERM)', () => {
  let stub: OpenAiStubServer;
  let dataDir: string;
  let env: Record<string, string>;
  const running = new Set<RoleProcess>();
  const start = async (extra: Record<string, string> = {}) => {
    const role = await startRole('all', { ...env, ...extra });
    running.add(role);
    return role;
  };

  beforeAll(async () => {
    stub = await startOpenAiStubServer();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ka-shutdown-'));
    env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      UI_DIR: BUILT_WEB_APP_DIR,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      OPENAI_BASE_URL: stub.baseURL,
      OPENAI_API_KEY: 'sk-test',
      CHAT_MODEL: MODEL,
      PRICES: JSON.stringify({ [MODEL]: { promptPer1k: 1000, completionPer1k: 2000 } }),
      SEARCH_DENSE_WEIGHT: '0',
    };
  });
  afterAll(async () => {
    for (const role of running) role.child.kill('SIGKILL');
    await stub?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  let alice: Session;
  let kb: string;

  it('lets the answer in hand finish and reach its subscriber whole, then exits 0', async () => {
    const app = await start();
    alice = (await gql<{ register: Session }>(app.url!, REGISTER, { email: 'alice@example.com', password: PASSWORD })).register;
    kb = (await gql<{ createKnowledgeBase: { id: string } }>(app.url!, CREATE_KB, { name: 'Pumps' }, alice.accessToken)).createKnowledgeBase.id;
    const words = tokens(40);
    stub.script({ kind: 'stream', tokens: words, delayMs: 50 }); // ~2 s of answer
    const turn = (await gql<{ ask: TurnResult }>(app.url!, ASK, { kb, question: 'What do pumps do?', maxTokens: 100 }, alice.accessToken)).ask;
    const stream = subscribeGraphql<Streamed>(app.url!.replace(/^http/, 'ws'), ANSWER_STREAM, { turnId: turn.id, afterSeq: 0 }, { token: alice.accessToken });
    await stream.next(30_000);
    const exit = exited(app);
    app.child.kill('SIGTERM');
    // A load balancer stops sending requests: /healthz is 503 while the answer finishes.
    const health = await until('healthz says draining', async () => {
      const response = await fetch(`${app.probeUrl}/healthz`);
      return response.status === 503 ? ((await response.json()) as { status: string }) : undefined;
    }, 5_000);
    expect(health.status).toBe('draining');

    const chunks = await readAll(stream);
    expect(await exit).toBe(0);
    running.delete(app);
    const last = chunks.at(-1)!;
    expect(last).toMatchObject({ done: true, status: 'completed' });
    // A chunk may carry several deltas (seq is the range's last): increasing seqs, and the text whole, once.
    const seqs = chunks.map((c) => c.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(chunks.filter((c) => !c.done).map((c) => c.delta).join('')).toBe(words.join(''));

    // Settled before the exit: the restarted process finds it completed and nothing held.
    const again = await start();
    const ended = (await gql<{ turn: TurnResult }>(again.url!, TURN, { id: turn.id }, alice.accessToken)).turn;
    expect(ended.status).toBe('completed');
    const wallet = (await gql<{ wallet: WalletResult }>(again.url!, WALLET, {}, alice.accessToken)).wallet;
    expect(wallet.reserved).toBe(0);
    expect(wallet.ledger.filter((line) => line.turnId === turn.id && line.kind === 'capture')).toHaveLength(1);
    const stopped = exited(again);
    again.child.kill('SIGTERM');
    expect(await stopped).toBe(0);
    running.delete(again);
  }, 240_000);

  it('past the grace period closes anyway; the restarted process ends the turn and releases its hold, and the client resumes', async () => {
    const app = await start({ SHUTDOWN_GRACE_MS: '300' });
    stub.script({ kind: 'stream', tokens: tokens(200), delayMs: 50 }); // ~10 s: far longer than the grace
    const turn = (await gql<{ ask: TurnResult }>(app.url!, ASK, { kb, question: 'And valves?', maxTokens: 300 }, alice.accessToken)).ask;
    const stream = subscribeGraphql<Streamed>(app.url!.replace(/^http/, 'ws'), ANSWER_STREAM, { turnId: turn.id, afterSeq: 0 }, { token: alice.accessToken });
    await stream.next(30_000);
    const exit = exited(app);
    const signalled = Date.now();
    app.child.kill('SIGTERM');
    const before = await readAll(stream); // ends when the server closes the socket
    expect(await exit).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(8_000);
    running.delete(app);
    expect(before.some((c) => c.done)).toBe(false);
    const lastSeq = before.at(-1)!.seq;

    const again = await start();
    const ended = await until('the handed-over turn ended', async () => {
      const view = (await gql<{ turn: TurnResult }>(again.url!, TURN, { id: turn.id }, alice.accessToken)).turn;
      return ['completed', 'stopped', 'failed'].includes(view.status) ? view : undefined;
    }, 60_000);
    expect(ended.status).toBe('failed');
    await until('the hold was released', async () => {
      const wallet = (await gql<{ wallet: WalletResult }>(again.url!, WALLET, {}, alice.accessToken)).wallet;
      return wallet.reserved === 0 ? wallet : undefined;
    }, 30_000);
    const resumed = subscribeGraphql<Streamed>(again.url!.replace(/^http/, 'ws'), ANSWER_STREAM, { turnId: turn.id, afterSeq: lastSeq }, { token: alice.accessToken });
    const rest = await readAll(resumed);
    expect(rest.at(-1)).toMatchObject({ done: true, status: 'failed' });
    expect(rest.every((c) => c.seq > lastSeq)).toBe(true);
  }, 240_000);
});
