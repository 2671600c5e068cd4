/**
 * API keys not revoked, per user and per workspace (QUOTA_API_KEYS): without a cap, the limits a key carries (requests
 * per minute, credits per day) would be no limit, since anyone could mint another key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { CREATE_API_KEY, createWorkspace, REVOKE_API_KEY } from '../openai-compat/openai-compat.testing.ts';
import { ok } from './chat.testing.ts';
import { register, type Session } from './identity.testing.ts';

describe('API keys per user and per workspace (QUOTA_API_KEYS)', () => {
  let app: TestApp;
  let alice: Session;
  let bob: Session;
  let team: string;

  const create = (session: Session, name: string, workspaceId?: string) =>
    app.gql<{ createApiKey: { apiKey: { id: string } } }>(CREATE_API_KEY, { name, workspaceId }, session.accessToken);

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', QUOTA_API_KEYS: '2' } });
    await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    team = await createWorkspace(app, alice.accessToken, 'Support', [['bob@example.com', 'VIEWER']]);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('the third personal key is QUOTA_EXCEEDED and appends nothing; revoking one makes room', async () => {
    const first = (await create(alice, 'one')).data!.createApiKey.apiKey.id;
    expect((await create(alice, 'two')).errors).toBeUndefined();
    const before = await app.app.eventStore.headPosition();
    const refused = await create(alice, 'three');
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'QUOTA_EXCEEDED', quota: 'apiKeys', limit: 2, usage: 2, retryable: false });
    expect(await app.app.eventStore.headPosition()).toEqual(before);
    await ok(app, alice.accessToken, REVOKE_API_KEY, { id: first });
    expect((await create(alice, 'three')).errors).toBeUndefined();
  });

  it('a workspace has its own count, apart from its owner’s personal keys; a viewer learns nothing of it', async () => {
    expect((await create(alice, 'team one', team)).errors).toBeUndefined();
    expect((await create(alice, 'team two', team)).errors).toBeUndefined();
    expect((await create(alice, 'team three', team)).errors?.[0]?.extensions?.code).toBe('QUOTA_EXCEEDED');
    expect((await create(bob, 'sneaky', team)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await create(bob, 'mine')).errors).toBeUndefined();
  });
});
