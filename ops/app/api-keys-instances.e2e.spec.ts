/**
 * API keys across api instances: two processes' apps sharing Postgres and Redis (one runs everything, the other
 * ROLE=api), as docker-compose runs two api replicas. A key revoked through one is refused by the other on the very
 * next request, though the other had just used (and remembered) it; a key's requests per minute are counted across
 * both; a question asked through the api-only instance is answered by the saga of the other and streamed back
 * through Redis.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openAiClient, REVOKE_API_KEY } from '../../query-side/openai-compat/openai-compat.testing.ts';
import { loadConfig } from '../config/config.ts';
import { createTestPostgres, TEST_REDIS_URL, type TestDatabase } from '../testing/databases.ts';
import { postGraphql, type GqlAuth } from '../testing/graphql-clients.ts';
import type { TestApp } from '../testing/server.ts';
import { createApp, type App } from './create-app.ts';

describe('API keys on two api instances sharing Postgres and Redis', () => {
  let events: TestDatabase;
  let readModels: TestDatabase;
  let dataDir: string;
  let first: App;
  let second: App;
  let token: string;
  let kb: string;
  const gql = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const result = await postGraphql<T>(first.url!, query, variables, token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!;
  };
  const graphqlOnFirst: Pick<TestApp, 'gql'> = { gql: <T>(query: string, variables?: Record<string, unknown>, auth?: GqlAuth) => postGraphql<T>(first.url!, query, variables, auth) };

  beforeAll(async () => {
    [events, readModels] = await Promise.all([createTestPostgres({ max: 1 }), createTestPostgres({ max: 1 })]);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ka-api-keys-'));
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      EVENTSTORE_URL: events.url,
      DATABASE_URL: readModels.url,
      REDIS_URL: TEST_REDIS_URL,
    };
    // One rate-limit namespace for both, as two replicas of one deployment share their counters.
    const options = { rateLimitNamespace: `ka-test-${randomBytes(4).toString('hex')}:` };
    first = await createApp(loadConfig(env), options);
    second = await createApp(loadConfig({ ...env, ROLE: 'api' }), options);
    const registered = await postGraphql<{ register: { accessToken: string } }>(
      first.url!,
      `mutation { register(email: "keys@example.com", password: "correct horse battery") { accessToken } }`,
    );
    token = registered.data!.register.accessToken;
    kb = (await gql<{ createKnowledgeBase: { id: string } }>(`mutation { createKnowledgeBase(name: "Plant") { id } }`)).createKnowledgeBase.id;
  }, 180_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await events?.drop();
    await readModels?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a key revoked on one instance is refused by the other at once', async () => {
    const created = await createApiKey(graphqlOnFirst, token, 'replicated');
    const onSecond = openAiClient(second.url!, created.key);
    // The second instance has looked the key up and remembers it.
    expect((await onSecond.models.list()).data.map((m) => m.id)).toEqual([`kb:${kb}`]);
    await gql(REVOKE_API_KEY, { id: created.apiKey.id });
    await expect(onSecond.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    await expect(openAiClient(first.url!, created.key).models.list()).rejects.toMatchObject({ status: 401 });
  });

  it('requests per minute are counted across instances', async () => {
    const created = await createApiKey(graphqlOnFirst, token, 'three a minute', { requestsPerMinute: 3 });
    const [a, b] = [openAiClient(first.url!, created.key), openAiClient(second.url!, created.key)];
    await a.models.list();
    await b.models.list();
    await a.models.list();
    await expect(b.models.list()).rejects.toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
  });

  it('a question asked on the api-only instance is answered by the saga elsewhere and streamed back', async () => {
    const created = await createApiKey(graphqlOnFirst, token, 'asker');
    const stream = await openAiClient(second.url!, created.key).chat.completions.create({
      model: `kb:${kb}`,
      messages: [{ role: 'user', content: 'What do pumps do?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
  });
});
