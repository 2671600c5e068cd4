import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.ts';
import { createTestPostgres, type TestDatabase } from '../testing/databases.ts';
import { until } from '../testing/document-uploads.ts';
import { postGraphql } from '../testing/graphql-clients.ts';
import { createApp, type App } from './create-app.ts';

describe('ROLE: an api, a projector and a saga process sharing Postgres', () => {
  let events: TestDatabase;
  let readModels: TestDatabase;
  let dataDir: string;
  let projector: App;
  let saga: App;
  let api: App;
  beforeAll(async () => {
    [events, readModels] = await Promise.all([createTestPostgres({ max: 1 }), createTestPostgres({ max: 1 })]);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ka-roles-'));
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      EVENTSTORE_URL: events.url,
      DATABASE_URL: readModels.url,
    };
    projector = await createApp(loadConfig({ ...env, ROLE: 'projector' }));
    saga = await createApp(loadConfig({ ...env, ROLE: 'saga' }));
    api = await createApp(loadConfig({ ...env, ROLE: 'api' }));
  }, 180_000);
  afterAll(async () => {
    await api?.close();
    await saga?.close();
    await projector?.close();
    await events?.drop();
    await readModels?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('only the api role serves HTTP; the projector role runs the projectors', async () => {
    expect(projector.url).toBeUndefined();
    expect(api.url).toBeDefined();
    expect(projector.runtime.health().some((p) => p.status === 'running')).toBe(true);
  });

  it("the api process waits for the projector process's checkpoints (read-your-writes across processes)", async () => {
    const appended = await api.eventStore.append(
      'roles-test-1',
      [{ type: 'RolesTestPinged', data: { at: 'now' } }],
      'no_stream',
    );
    // users ignores this event type but its checkpoint still moves past it, in the other process.
    await api.runtime.waitForPosition(appended.position, { projectors: ['users'], timeoutMs: 20_000 });
    const users = projector.runtime.health().find((p) => p.name === 'users');
    expect(users?.status).toBe('running');
  });

  it('a question asked on the api process is driven to its end and settled by the saga process', async () => {
    expect(saga.url).toBeUndefined();
    const gql = async <T>(query: string, variables: Record<string, unknown>, token?: string) => {
      const result = await postGraphql<T>(api.url!, query, variables, token);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return result.data!;
    };
    const { register } = await gql<{ register: { accessToken: string } }>(
      `mutation { register(email: "roles@example.com", password: "correct horse battery") { accessToken } }`,
      {},
    );
    const token = register.accessToken;
    // The signup grant is the saga process's reaction to the registration.
    await until('the signup grant', async () => ((await gql<{ wallet: { balance: number } }>(`{ wallet { balance } }`, {}, token)).wallet.balance > 0 ? true : undefined), 30_000);
    const { createKnowledgeBase } = await gql<{ createKnowledgeBase: { id: string } }>(`mutation { createKnowledgeBase(name: "Roles") { id } }`, {}, token);
    const { ask } = await gql<{ ask: { id: string } }>(
      `mutation($kb: ID!) { ask(knowledgeBaseId: $kb, question: "Is anyone there?") { id } }`,
      { kb: createKnowledgeBase.id },
      token,
    );
    const turn = await until('the turn answered', async () => {
      const { turn } = await gql<{ turn: { status: string; cost: number | null; answer: string | null; error: string | null } }>(
        `query($id: ID!) { turn(id: $id) { status cost answer error } }`,
        { id: ask.id },
        token,
      );
      return turn.status === 'reserving' || turn.status === 'retrieving' || turn.status === 'generating' ? undefined : turn;
    }, 30_000);
    // The saga process drove the turn to its end and settled its hold. The search index works with or without
    // pgvector (this machine's Postgres has none: the index is lexical there), so the turn is answered and charged.
    expect(turn, JSON.stringify(turn)).toMatchObject({ status: 'completed', answer: expect.stringMatching(/^Extractive answer/) });
    expect(turn.cost).toBeGreaterThan(0);
    const wallet = await until('the hold settled', async () => {
      const read = await gql<{ wallet: { reserved: number; ledger: Array<{ kind: string }> } }>(`{ wallet { reserved ledger { kind } } }`, {}, token);
      return read.wallet.reserved === 0 && read.wallet.ledger.length === 3 ? read.wallet : undefined;
    }, 30_000);
    expect(wallet.ledger.map((line) => line.kind)).toEqual(['deposit', 'reserve', 'capture']);
  });

  it('the api answers GraphQL and reports its role', async () => {
    expect((await postGraphql(api.url!, '{ __typename }')).data).toEqual({ __typename: 'Query' });
    const health = (await (await fetch(`${api.url}/healthz`)).json()) as { role: string; status: string };
    expect(health).toMatchObject({ role: 'api', status: 'ok' });
  });
});

describe('ROLE with the embedded default', () => {
  it('refuses split roles without shared servers, with a clear message', async () => {
    const config = loadConfig({ ROLE: 'api', DATA_DIR: os.tmpdir() });
    await expect(createApp(config)).rejects.toThrow(ConfigError);
    await expect(createApp(config)).rejects.toThrow(/EVENTSTORE_URL and DATABASE_URL/);
  });
});
