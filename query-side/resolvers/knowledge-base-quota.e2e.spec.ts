import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { CREATE_KB, KNOWLEDGE_BASES, register, type Session } from './identity.testing.ts';

describe('knowledge bases per user (QUOTA_KNOWLEDGE_BASES)', () => {
  let app: TestApp;
  let alice: Session;
  let bob: Session;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', QUOTA_KNOWLEDGE_BASES: '2' } });
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const create = (session: Session, name: string) =>
    app.gql<{ createKnowledgeBase: { id: string } }>(CREATE_KB, { name }, session.accessToken);
  const names = async (session: Session) => {
    const result = await app.gql<{ knowledgeBases: Array<{ name: string }> }>(KNOWLEDGE_BASES, {}, session.accessToken);
    return result.data!.knowledgeBases.map((kb) => kb.name);
  };

  it('the third is QUOTA_EXCEEDED with the limit and the usage, and appends nothing; another user still creates', async () => {
    expect((await create(alice, 'One')).errors).toBeUndefined();
    expect((await create(alice, 'Two')).errors).toBeUndefined();

    const before = await app.app.eventStore.headPosition();
    const refused = await create(alice, 'Three');
    expect(refused.data).toBeNull();
    expect(refused.errors).toEqual([
      expect.objectContaining({
        message: 'quota exceeded: you own 2 knowledge bases and the limit on knowledge bases is 2',
        extensions: { code: 'QUOTA_EXCEEDED', quota: 'knowledgeBases', limit: 2, usage: 2, retryable: false },
      }),
    ]);
    expect(await app.app.eventStore.headPosition()).toEqual(before);
    expect(await names(alice)).toEqual(['One', 'Two']);

    expect((await create(bob, 'Bob notes')).errors).toBeUndefined();
    expect(await names(bob)).toEqual(['Bob notes']);
  });
});
