/**
 * Mutations while no projector runs: an api process (ROLE=api) on Postgres whose projector process has stopped.
 * Every write is in the log, so none may be reported as failed: the answers carry what was decided and
 * extensions.notYetVisible, and a createKnowledgeBase retried with its idempotencyKey makes no second knowledge base,
 * before the projector comes back or after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeBaseStream } from '../../contracts/streams.ts';
import { loadConfig } from '../config/config.ts';
import { createTestPostgres, type TestDatabase } from '../testing/databases.ts';
import { postGraphql, type GqlResult } from '../testing/graphql-clients.ts';
import { createApp, type App } from './create-app.ts';

const READ_YOUR_WRITES_TIMEOUT_MS = 400;
const CREATE_KB = `mutation($name: String!, $key: String) {
  createKnowledgeBase(name: $name, idempotencyKey: $key) { id name ownerId documentCount } }`;
const REGISTER = `mutation($email: String!) {
  register(email: $email, password: "correct horse battery") { accessToken user { id email role } } }`;
const DEPOSIT = `mutation($userId: ID!) { deposit(userId: $userId, amount: 500, reference: "grant-1") { userId balance available } }`;

type Kb = { id: string; name: string; ownerId: string; documentCount: number };
type PendingWrite = { position: string; readModels: string[]; reason: string };
const pendingOf = (result: GqlResult) => result.extensions?.notYetVisible as PendingWrite[] | undefined;

describe('mutations with the projector process down', () => {
  let events: TestDatabase;
  let readModels: TestDatabase;
  let dataDir: string;
  let projector: App | undefined;
  let api: App;
  let env: Record<string, string>;
  let admin: { accessToken: string; user: { id: string } };
  let alice: { accessToken: string; user: { id: string } };

  const gql = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) =>
    postGraphql<T>(api.url!, query, variables, token);
  const createdEvents = async (knowledgeBaseId: string) =>
    (await api.eventStore.readStream(knowledgeBaseStream(knowledgeBaseId))).filter((e) => e.type === 'KnowledgeBaseCreated');

  beforeAll(async () => {
    [events, readModels] = await Promise.all([createTestPostgres({ max: 1 }), createTestPostgres({ max: 1 })]);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ka-projector-down-'));
    env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      EVENTSTORE_URL: events.url,
      DATABASE_URL: readModels.url,
      READ_YOUR_WRITES_TIMEOUT_MS: String(READ_YOUR_WRITES_TIMEOUT_MS),
    };
    projector = await createApp(loadConfig({ ...env, ROLE: 'projector' }));
    api = await createApp(loadConfig({ ...env, ROLE: 'api', READ_YOUR_WRITES_TIMEOUT_MS: '10000' }));
    // Both users are known to the read models (their tokens are accepted) before the projector stops.
    admin = (await gql<{ register: typeof admin }>(REGISTER, { email: 'admin@example.com' })).data!.register;
    alice = (await gql<{ register: typeof alice }>(REGISTER, { email: 'alice@example.com' })).data!.register;
    await api.close();
    await projector.close();
    projector = undefined;
    api = await createApp(loadConfig({ ...env, ROLE: 'api' }));
  }, 180_000);
  afterAll(async () => {
    await api?.close();
    await projector?.close();
    await events?.drop();
    await readModels?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('createKnowledgeBase answers with the decided knowledge base, flagged as not yet visible; a retry with its key makes no second one', async () => {
    const started = performance.now();
    const first = await gql<{ createKnowledgeBase: Kb }>(CREATE_KB, { name: 'Handbook', key: 'kb-handbook-1' }, alice.accessToken);
    expect(first.errors, JSON.stringify(first.errors)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(READ_YOUR_WRITES_TIMEOUT_MS + 3000);
    const kb = first.data!.createKnowledgeBase;
    expect(kb).toMatchObject({ name: 'Handbook', ownerId: alice.user.id, documentCount: 0 });
    expect(pendingOf(first)).toEqual([
      { position: expect.any(String), readModels: ['knowledge-bases'], reason: expect.stringMatching(/not caught up/) },
    ]);

    // The client did not trust the answer (or never got it) and sends the same request again.
    const retry = await gql<{ createKnowledgeBase: Kb }>(CREATE_KB, { name: 'Handbook', key: 'kb-handbook-1' }, alice.accessToken);
    expect(retry.errors, JSON.stringify(retry.errors)).toBeUndefined();
    expect(retry.data!.createKnowledgeBase).toEqual(kb);
    expect(pendingOf(retry)?.[0]?.position).toBe(pendingOf(first)?.[0]?.position);
    expect(await createdEvents(kb.id)).toHaveLength(1);

    const reused = await gql(CREATE_KB, { name: 'Another', key: 'kb-handbook-1' }, alice.accessToken);
    expect(reused.codes).toEqual(['CONFLICT']);
    // Keys belong to their user: the admin's create with the same key is another knowledge base.
    const admins = await gql<{ createKnowledgeBase: Kb }>(CREATE_KB, { name: 'Handbook', key: 'kb-handbook-1' }, admin.accessToken);
    expect(admins.data!.createKnowledgeBase.id).not.toBe(kb.id);
  });

  it('register and deposit answer with what they decided, flagged, instead of an error', async () => {
    const registered = await gql<{ register: { accessToken: string; user: { email: string; role: string } } }>(REGISTER, {
      email: 'carol@example.com',
    });
    expect(registered.errors, JSON.stringify(registered.errors)).toBeUndefined();
    expect(registered.data!.register.user).toMatchObject({ email: 'carol@example.com', role: 'member' });
    expect(pendingOf(registered)?.map((write) => write.readModels)).toEqual([['users']]);

    const deposited = await gql<{ deposit: { balance: number } }>(DEPOSIT, { userId: alice.user.id }, admin.accessToken);
    expect(deposited.errors, JSON.stringify(deposited.errors)).toBeUndefined();
    // The decided balance: no saga runs here, so no signup grant, just this deposit.
    expect(deposited.data!.deposit).toEqual({ userId: alice.user.id, balance: 500, available: 500 });
    expect(pendingOf(deposited)?.map((write) => write.readModels)).toEqual([['wallets']]);
  });

  it('once the projector is back, the read models show exactly what was answered, and a retry is plain', async () => {
    projector = await createApp(loadConfig({ ...env, ROLE: 'projector' }));
    await projector.runtime.waitForPosition(await api.eventStore.headPosition(), {
      projectors: ['knowledge-bases', 'users', 'wallets'],
      timeoutMs: 30_000,
    });
    const retry = await gql<{ createKnowledgeBase: Kb }>(CREATE_KB, { name: 'Handbook', key: 'kb-handbook-1' }, alice.accessToken);
    expect(retry.errors, JSON.stringify(retry.errors)).toBeUndefined();
    expect(pendingOf(retry)).toBeUndefined();
    const listed = await gql<{ knowledgeBases: Kb[] }>(`{ knowledgeBases { id name ownerId documentCount } }`, {}, alice.accessToken);
    expect(listed.data!.knowledgeBases).toEqual([retry.data!.createKnowledgeBase]);
    expect(await createdEvents(retry.data!.createKnowledgeBase.id)).toHaveLength(1);
  });
});
