/**
 * Answers across processes: real `npm start` processes with ROLE=projector, ROLE=saga and two ROLE=api, sharing
 * Postgres (events, read models) and Redis. A question asked on instance A is answered by the saga process (from a
 * local OpenAI stub server) and streamed to a client subscribed to instance B; a client that moves from B to A with
 * its last seq gets the rest.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { chunkMigrations } from '../../projections/chunks/schema.ts';
import { createTestPostgres, TEST_REDIS_URL, type TestDatabase } from '../testing/databases.ts';
import { postGraphql, subscribeGraphql, type TestSubscription } from '../testing/graphql-clients.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MODEL = 'stub-chat';
const TOKENS = Array.from({ length: 30 }, (_, i) => `w${i + 1} `);
const ANSWER_STREAM = `subscription ($turnId: ID!, $afterSeq: Int) {
  answerStream(turnId: $turnId, afterSeq: $afterSeq) { seq delta done status }
}`;
type Chunk = { seq: number; delta: string; done: boolean; status: string | null };
type Streamed = { answerStream: Chunk };

/**
 * The Postgres server of our build machines has no pgvector, so the chunks projection cannot create its tables there
 * (it fails alone; the other projectors run on). The saga's retrieval reads only the lexical ones: they are created
 * here from the projection's own migrations, vectors as plain arrays and without the HNSW index.
 */
async function createLexicalSearchTables(db: TestDatabase): Promise<void> {
  for (const migration of chunkMigrations(8)) {
    await db.sql.exec(migration.sql.replace(/vector\(\d+\)/g, 'real[]').replace(/CREATE INDEX chunk_vectors_embedding_idx[^;]*;/, ''));
  }
}

interface RoleProcess {
  child: ChildProcess;
  /** The api's http://localhost:PORT, once started. */
  url?: string;
}

/** Starts `ops/main.ts` in its role; resolves once it printed that it started (and where, for an api). */
function startRole(role: string, env: Record<string, string>): Promise<RoleProcess> {
  const child = fork(MAIN, [], {
    execArgv: ['--import', TSX],
    env: { ...process.env, ...env, ROLE: role },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`ROLE=${role} did not start: ${output}`)), 120_000);
    child.stdout!.on('data', (data: Buffer) => {
      output += String(data);
      const url = /GraphQL:\s+(http:\/\/\S+)\/graphql/.exec(output)?.[1];
      if (output.includes('Knowledge Assistant started') && (role !== 'api' || url)) {
        clearTimeout(timer);
        resolve({ child, ...(url && { url }) });
      }
    });
    child.once('exit', (code) => reject(new Error(`ROLE=${role} exited with ${code}: ${output}`)));
  });
}

function stop({ child }: RoleProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

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
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      EVENTSTORE_URL: events.url,
      DATABASE_URL: readModels.url,
      REDIS_URL: TEST_REDIS_URL,
      JWT_SECRET: 'a-test-secret-shared-by-every-instance-000',
      RATE_LIMIT_AUTH_PER_MINUTE: '1000',
      OPENAI_BASE_URL: stub.baseURL,
      OPENAI_API_KEY: 'sk-test',
      CHAT_MODEL: MODEL,
      PRICES: JSON.stringify({ [MODEL]: { promptPer1k: 1000, completionPer1k: 2000 } }),
      SEARCH_DENSE_WEIGHT: '0',
      SIGNUP_GRANT: '5000000',
    };
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
    await Promise.all(roles.map(stop));
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
