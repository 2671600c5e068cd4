import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventData } from '../../contracts/eventstore.ts';
import { apiKeyStream } from '../../contracts/streams.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { createProjectionRuntime, rebuildProjection, verifyRebuild, type ProjectionRuntime } from '../runtime/index.ts';
import { findApiKey, findApiKeyBySecretHash, listApiKeys, listWorkspaceApiKeys } from './api-keys-read-model.ts';
import { apiKeysProjector } from './api-keys-projector.ts';

const at = '2026-01-01T00:00:00.000Z';
const later = '2026-01-02T00:00:00.000Z';
const hash = (c: string) => c.repeat(64);

const created = (apiKeyId: string, ownerId: string, secretSha256: string, limits: { creditsPerDay: number | null; requestsPerMinute: number | null; knowledgeBaseIds: string[] } = { creditsPerDay: null, requestsPerMinute: null, knowledgeBaseIds: [] }): EventData => ({
  type: 'ApiKeyCreated',
  data: { apiKeyId, ownerId, name: `key ${apiKeyId.slice(0, 4)}`, prefix: 'ka_live_abcd', secretSha256, limits, createdAt: at },
});
/** A workspace key (since workspaces): its event carries the workspace; older events have no such field. */
const workspaceKey = (apiKeyId: string, ownerId: string, workspaceId: string, secretSha256: string): EventData => {
  const event = created(apiKeyId, ownerId, secretSha256);
  return { ...event, data: { ...(event.data as object), workspaceId } };
};
const revoked = (apiKeyId: string, revokedAt: string): EventData => ({ type: 'ApiKeyRevoked', data: { apiKeyId, by: 'u', revokedAt } });

describe.each(['pglite', 'postgres'] as const)('api_keys projection on %s', (kind) => {
  let test: TestEventStore & { sql: NonNullable<TestEventStore['sql']> };
  let runtime: ProjectionRuntime;
  const alice = randomUUID();
  const [k1, k2, k3, k4, k5] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const w1 = randomUUID();

  beforeAll(async () => {
    test = await openTestEventStore(kind);
    runtime = createProjectionRuntime({ sql: test.sql, eventStore: test.store, projectors: [apiKeysProjector], logger: pino({ level: 'silent' }) });
    await runtime.start();
    const { store } = test;
    await store.append(apiKeyStream(k1), [created(k1, alice, hash('1'), { creditsPerDay: 9_000_000_000, requestsPerMinute: 60, knowledgeBaseIds: ['kb1', 'kb2'] })], 'no_stream');
    await store.append(apiKeyStream(k2), [created(k2, alice, hash('2'))], 'no_stream');
    await store.append(apiKeyStream(k3), [created(k3, 'bob', hash('3'))], 'no_stream');
    await store.append(apiKeyStream(k4), [workspaceKey(k4, alice, w1, hash('4'))], 'no_stream');
    await store.append(apiKeyStream(k5), [workspaceKey(k5, 'bob', w1, hash('5'))], 'no_stream');
    await store.append(apiKeyStream(k2), [revoked(k2, later)], 0);
    // A second revocation (by a racing admin, say) does not move the first one's time.
    const head = (await store.append(apiKeyStream(k2), [revoked(k2, '2026-01-03T00:00:00.000Z')], 1)).position;
    await runtime.waitForPosition(head, { timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await runtime?.stop();
    await test?.close();
  });

  it('projects keys with their limits, by owner and by secret hash; never a secret', async () => {
    expect(await findApiKey(test.sql, k1)).toEqual({
      id: k1,
      ownerId: alice,
      workspaceId: null,
      name: `key ${k1.slice(0, 4)}`,
      prefix: 'ka_live_abcd',
      creditsPerDay: 9_000_000_000,
      requestsPerMinute: 60,
      knowledgeBaseIds: ['kb1', 'kb2'],
      createdAt: at,
      revokedAt: null,
    });
    expect((await listApiKeys(test.sql, alice)).map((key) => [key.id, key.revokedAt])).toEqual(
      [[k1, null], [k2, later]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect((await findApiKeyBySecretHash(test.sql, hash('3')))?.id).toBe(k3);
    expect(await findApiKeyBySecretHash(test.sql, hash('6'))).toBeUndefined();
  });

  it('a workspace key carries its workspace; a user’s list is their personal keys, a workspace’s list all of its keys', async () => {
    expect(await findApiKeyBySecretHash(test.sql, hash('4'))).toMatchObject({ id: k4, ownerId: alice, workspaceId: w1 });
    expect((await listApiKeys(test.sql, alice)).map((key) => key.id)).not.toContain(k4);
    expect((await listWorkspaceApiKeys(test.sql, w1)).map((key) => key.id).sort()).toEqual([k4, k5].sort());
    expect(await listWorkspaceApiKeys(test.sql, randomUUID())).toEqual([]);
  });

  it('replaying every event twice more changes nothing', async () => {
    const snapshot = () => test.sql.query(`SELECT * FROM api_keys ORDER BY id`);
    const before = await snapshot();
    const events = (await test.store.readAll()).filter((e) => e.streamId.startsWith('apikey-'));
    for (let round = 0; round < 2; round++) {
      await test.sql.transaction((tx) => apiKeysProjector.handle(events, tx, { projector: apiKeysProjector.name, rebuilding: false }));
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a rebuild from the log equals the live table', async () => {
    const target = { sql: test.sql, eventStore: test.store, projector: apiKeysProjector };
    const rebuilt = await rebuildProjection(target);
    const verdict = await verifyRebuild({ ...target, schema: rebuilt.schema });
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ equal: true });
  });
});
