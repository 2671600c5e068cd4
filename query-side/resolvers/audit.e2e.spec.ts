import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_ADMIN_STREAM } from '../../contracts/identity.ts';
import {
  conversationStream,
  documentStream,
  emailStream,
  knowledgeBaseStream,
  turnStream,
  userStream,
  walletStream,
} from '../../contracts/streams.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { AUDIT, CREATE_KB, KNOWLEDGE_BASES, register, type AuditEventView, type Session } from './identity.testing.ts';

const emailStreamOf = (email: string) => emailStream(createHash('sha256').update(email).digest('hex'));

describe('auditTrail end to end', () => {
  let app: TestApp;
  let admin: Session;
  let alice: Session;
  let bob: Session;
  let kbId: string;

  const trail = (session: Session | undefined, stream: string, extra: Record<string, unknown> = {}) =>
    app.gql<{ auditTrail: AuditEventView[] }>(AUDIT, { stream, ...extra }, session?.accessToken);

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    const kb = await app.gql<{ createKnowledgeBase: { id: string } }>(CREATE_KB, { name: 'Alice KB' }, {
      token: alice.accessToken,
      headers: { 'x-correlation-id': 'corr-123' },
    });
    kbId = kb.data!.createKnowledgeBase.id;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('a user reads their own stream: the events behind register and login, secrets redacted', async () => {
    const result = await trail(alice, userStream(alice.user.id));
    expect(result.errors).toBeUndefined();
    const events = result.data!.auditTrail;
    expect(events.map((e) => e.type)).toEqual(['UserRegistered', 'RefreshTokenIssued']);
    expect(events.map((e) => e.revision)).toEqual([0, 1]);
    const [registered, issued] = events.map((e) => JSON.parse(e.data) as Record<string, unknown>);
    expect(registered).toMatchObject({ userId: alice.user.id, email: 'alice@example.com', role: 'member', passwordHash: '[redacted]' });
    expect(issued).toMatchObject({ tokenHash: '[redacted]' });
    expect(JSON.stringify(events)).not.toMatch(/argon2/);
    expect(JSON.parse(events[0]!.metadata)).toMatchObject({ userId: alice.user.id });
    expect(JSON.parse(events[0]!.metadata).correlationId).toEqual(expect.any(String));
  });

  it('events carry the request correlation id and a causation id', async () => {
    const [created] = (await trail(alice, knowledgeBaseStream(kbId))).data!.auditTrail;
    expect(JSON.parse(created!.metadata)).toMatchObject({ correlationId: 'corr-123', causationId: expect.any(String), userId: alice.user.id });
  });

  it('after and limit page through a stream by log position', async () => {
    const all = (await trail(alice, userStream(alice.user.id))).data!.auditTrail;
    const afterFirst = (await trail(alice, userStream(alice.user.id), { after: all[0]!.position })).data!.auditTrail;
    expect(afterFirst).toEqual(all.slice(1));
    expect((await trail(alice, userStream(alice.user.id), { limit: 1 })).data!.auditTrail).toEqual(all.slice(0, 1));
    expect((await trail(alice, userStream(alice.user.id), { after: 'yesterday' })).codes).toEqual(['BAD_USER_INPUT']);
    expect((await trail(alice, userStream(alice.user.id), { limit: 0 })).codes).toEqual(['BAD_USER_INPUT']);
  });

  it('owners read their knowledge base, wallet and document streams; others are FORBIDDEN', async () => {
    // A document event as INGEST-C appends it: the document belongs to the owner of its knowledge base.
    const documentId = randomUUID();
    await app.app.eventStore.append(documentStream(documentId), [
      {
        type: 'DocumentUploaded',
        data: { documentId, knowledgeBaseId: kbId, revision: 1, name: 'a.txt', mediaType: 'text/plain', sizeBytes: 1, sha256: '0'.repeat(64), uploadedBy: alice.user.id },
      },
    ], 'no_stream');
    // (The ingestion worker may already have appended its next steps: the blob does not exist.)
    expect((await trail(alice, documentStream(documentId))).data!.auditTrail[0]?.type).toBe('DocumentUploaded');
    expect((await trail(alice, knowledgeBaseStream(kbId))).errors).toBeUndefined();
    expect((await trail(alice, walletStream(alice.user.id))).errors).toBeUndefined();

    for (const stream of [documentStream(documentId), knowledgeBaseStream(kbId), walletStream(alice.user.id), userStream(alice.user.id)]) {
      expect((await trail(bob, stream)).codes, stream).toEqual(['FORBIDDEN']);
      expect((await trail(admin, stream)).errors, stream).toBeUndefined();
    }
    // The projection counted the document in its knowledge base.
    await app.app.runtime.waitForPosition(await app.app.eventStore.headPosition());
    const kbs = (await app.gql<{ knowledgeBases: Array<{ id: string; documentCount: number }> }>(KNOWLEDGE_BASES, {}, alice.accessToken)).data!;
    expect(kbs.knowledgeBases.find((kb) => kb.id === kbId)?.documentCount).toBe(1);
  });

  it('conversations belong to their userId, turns to their conversation (by the first event of the stream)', async () => {
    // Neutral event types: only the stream prefix and the first event's fields decide, whatever feature writes them.
    const conversationId = randomUUID();
    const turnId = randomUUID();
    await app.app.eventStore.append(conversationStream(conversationId), [
      { type: 'ProbeConversationOpened', data: { conversationId, knowledgeBaseId: kbId, userId: bob.user.id } },
    ], 'no_stream');
    await app.app.eventStore.append(turnStream(turnId), [
      { type: 'ProbeTurnOpened', data: { turnId, conversationId } },
    ], 'no_stream');
    for (const stream of [conversationStream(conversationId), turnStream(turnId)]) {
      expect((await trail(bob, stream)).data!.auditTrail, stream).toHaveLength(1);
      expect((await trail(alice, stream)).codes, stream).toEqual(['FORBIDDEN']);
    }
    expect((await trail(alice, conversationStream(randomUUID()))).codes).toEqual(['FORBIDDEN']);
    expect((await trail(admin, conversationStream(randomUUID()))).data!.auditTrail).toEqual([]);
  });

  it('email reservations and the first-admin claim are for admins only', async () => {
    expect((await trail(alice, emailStreamOf('alice@example.com'))).codes).toEqual(['FORBIDDEN']);
    expect((await trail(alice, FIRST_ADMIN_STREAM)).codes).toEqual(['FORBIDDEN']);
    const reservation = (await trail(admin, emailStreamOf('alice@example.com'))).data!.auditTrail;
    expect(reservation.map((e) => e.type)).toEqual(['EmailReserved']);
    expect(JSON.parse(reservation[0]!.data)).toMatchObject({ userId: alice.user.id });
    const claim = (await trail(admin, FIRST_ADMIN_STREAM)).data!.auditTrail;
    expect(JSON.parse(claim[0]!.data)).toMatchObject({ userId: admin.user.id });
  });

  it('anonymous callers get UNAUTHENTICATED', async () => {
    expect((await trail(undefined, userStream(alice.user.id))).codes).toEqual(['UNAUTHENTICATED']);
  });
});
