import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.ts';
import { createTestPostgres, type TestDatabase } from '../testing/databases.ts';
import { postGraphql } from '../testing/graphql-clients.ts';
import { createApp, type App } from './create-app.ts';

describe('ROLE: an api process and a projector process sharing Postgres', () => {
  let events: TestDatabase;
  let readModels: TestDatabase;
  let dataDir: string;
  let projector: App;
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
    api = await createApp(loadConfig({ ...env, ROLE: 'api' }));
  }, 180_000);
  afterAll(async () => {
    await api?.close();
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
