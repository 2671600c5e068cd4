import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeBaseStream } from '../../contracts/streams.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { AUDIT, CREATE_KB, KNOWLEDGE_BASES, register, type AuditEventView, type Session } from './identity.testing.ts';

interface KnowledgeBase {
  id: string;
  name: string;
  description: string | null;
  ownerId: string;
  documentCount: number;
  createdAt: string;
}

describe('knowledge bases end to end', () => {
  let app: TestApp;
  let admin: Session;
  let alice: Session;
  let bob: Session;

  const create = async (session: Session, name: string, description?: string) => {
    const result = await app.gql<{ createKnowledgeBase: KnowledgeBase }>(CREATE_KB, { name, description }, session.accessToken);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!.createKnowledgeBase;
  };
  const list = async (session: Session) =>
    (await app.gql<{ knowledgeBases: KnowledgeBase[] }>(KNOWLEDGE_BASES, {}, session.accessToken)).data!.knowledgeBases;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('the creator owns a new knowledge base, and a query right after sees it', async () => {
    const kb = await create(alice, '  Handbook ', 'Company handbook');
    expect(kb).toMatchObject({ name: 'Handbook', description: 'Company handbook', ownerId: alice.user.id, documentCount: 0 });
    expect(new Date(kb.createdAt).toISOString()).toBe(kb.createdAt);
    expect(await list(alice)).toEqual([kb]);
  });

  it('members list their own knowledge bases; admins list all', async () => {
    const second = await create(alice, 'Second');
    const bobs = await create(bob, 'Bob notes');
    const alices = (await list(alice)).map((kb) => kb.id);
    expect(alices).toHaveLength(2);
    expect(alices).toContain(second.id);
    expect((await list(bob)).map((kb) => kb.id)).toEqual([bobs.id]);
    const all = (await list(admin)).map((kb) => kb.id);
    expect(all).toHaveLength(3);
    expect(all).toEqual(expect.arrayContaining([...alices, bobs.id]));
  });

  it('anonymous callers get UNAUTHENTICATED for the list', async () => {
    expect((await app.gql(KNOWLEDGE_BASES)).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('the audit trail shows the event behind a knowledge base, with who did it', async () => {
    const kb = await create(bob, 'Audited');
    const trail = await app.gql<{ auditTrail: AuditEventView[] }>(AUDIT, { stream: knowledgeBaseStream(kb.id) }, bob.accessToken);
    expect(trail.errors).toBeUndefined();
    const [created] = trail.data!.auditTrail;
    expect(trail.data!.auditTrail).toHaveLength(1);
    expect(created!.type).toBe('KnowledgeBaseCreated');
    expect(JSON.parse(created!.data)).toMatchObject({ knowledgeBaseId: kb.id, ownerId: bob.user.id, name: 'Audited' });
    expect(JSON.parse(created!.metadata)).toMatchObject({ userId: bob.user.id });
  });
});
