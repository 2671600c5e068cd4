/**
 * Answers across processes: real `npm start` processes with ROLE=projector, ROLE=saga and two ROLE=api, sharing
 * Postgres (events, read models) and Redis. A question asked on instance A is answered by the saga process (from a
 * local OpenAI stub server) and streamed to a client subscribed to instance B; a client that moves from B to A with
 * its last seq gets the rest.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { createTestPostgres, type TestDatabase } from '../testing/databases.ts';
import { postGraphql, subscribeGraphql, type TestSubscription } from '../testing/graphql-clients.ts';
import { createLexicalSearchTables, sharedRoleEnv, startRole, stopRole, type RoleProcess } from '../testing/role-processes.ts';

const MODEL = 'stub-chat';
const TOKENS = Array.from({ length: 30 }, (_, i) => `w${i + 1} `);
const ANSWER_STREAM = `subscription ($turnId: ID!, $afterSeq: Int) {
  answerStream(turnId: $turnId, afterSeq: $afterSeq) { seq delta done status }
}`;
type Chunk = { seq: number; delta: string; done: boolean; status: string | null };
type Streamed = { answerStream: Chunk };

async function ok<T>(url: string, token: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await postGraphql<T>(url, query, variables, token);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

async function readUntil(subscription: TestSubscription<Streamed>, stop: (chunk: Chunk) => boolean): Promise<Chunk[]> {
  for (;;) {
    const result = await subscription.next(30_000);
    if (stop(result.data!.answerStream)) return subscription.received.map((r) => r.data!.answerStream);
  }
}

describe('answerStream across processes: two api instances and a saga instance on Redis', () => {
  let stub: OpenAiStubServer;
  let events: TestDatabase;
  let readModels: TestDatabase;
  let dataDir: string;
  const roles: RoleProcess[] = [];
  let apiA: string;
  let apiB: string;
  let token: string;
  let kb: string;

  beforeAll(async () => {
    stub = await startOpenAiStubServer();
    [events, readModels] = await Promise.all([createTestPostgres({ max: 1 }), createTestPostgres({ max: 1 })]);
    await createLexicalSearchTables(readModels);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ka-stream-roles-'));
    const env = sharedRoleEnv({ dataDir, events, readModels, stubBaseUrl: stub.baseURL, model: MODEL });
    // The projector first: it creates the read-model tables the others read.
    roles.push(await startRole('projector', env));
    roles.push(...(await Promise.all([startRole('saga', env), startRole('api', env), startRole('api', env)])));
    [apiA, apiB] = [roles[2]!.url!, roles[3]!.url!];
    const registered = await ok<{ register: { accessToken: string } }>(
      apiA,
      undefined,
      `mutation { register(email: "alice@example.com", password: "correct horse battery") { accessToken } }`,
    );
    token = registered.register.accessToken;
    kb = (await ok<{ createKnowledgeBase: { id: string } }>(apiA, token, `mutation { createKnowledgeBase(name: "Plant") { id } }`))
      .createKnowledgeBase.id;
  }, 300_000);
  afterAll(async () => {
    await Promise.all(roles.map(stopRole));
    await stub?.close();
    await events?.drop();
    await readModels?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const ask = async (question: string) =>
    (await ok<{ ask: { id: string } }>(apiA, token, `mutation($kb: ID!, $q: String!) { ask(knowledgeBaseId: $kb, question: $q, maxTokens: 100) { id } }`, { kb, q: question })).ask.id;

  it('a client subscribed to instance B receives the turn asked on A and answered by the saga process', async () => {
    stub.script({ kind: 'stream', tokens: TOKENS, delayMs: 20 });
    const turnId = await ask('What do pumps do?');
    const onB = subscribeGraphql<Streamed>(`${apiB.replace(/^http/, 'ws')}`, ANSWER_STREAM, { turnId, afterSeq: 0 }, { token });
    await onB.done;
    const chunks = onB.received.map((r) => r.data!.answerStream);
    expect(chunks.map((c) => c.delta).join('')).toBe(TOKENS.join(''));
    expect(chunks.at(-1)).toMatchObject({ done: true, status: 'completed' });
    const seqs = chunks.map((c) => c.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(stub.requests).toHaveLength(1);
  });

  it('a client moving from B to A with its last seq gets exactly the rest, then done', async () => {
    stub.reset();
    stub.script({ kind: 'stream', tokens: TOKENS, delayMs: 40 });
    const turnId = await ask('And valves?');
    const onB = subscribeGraphql<Streamed>(apiB.replace(/^http/, 'ws'), ANSWER_STREAM, { turnId, afterSeq: 0 }, { token });
    const before = await readUntil(onB, (c) => c.seq >= 5);
    await onB.close();
    const lastSeq = before.at(-1)!.seq;
    const onA = subscribeGraphql<Streamed>(apiA.replace(/^http/, 'ws'), ANSWER_STREAM, { turnId, afterSeq: lastSeq }, { token });
    await onA.done;
    const after = onA.received.map((r) => r.data!.answerStream);
    expect(after[0]!.seq).toBeGreaterThan(lastSeq);
    expect([...before, ...after].map((c) => c.delta).join('')).toBe(TOKENS.join(''));
    expect(after.at(-1)).toMatchObject({ done: true, status: 'completed' });
  });
});
