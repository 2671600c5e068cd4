import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventData } from '../../contracts/eventstore.ts';
import type { Position } from '../../contracts/position.ts';
import { documentStream, knowledgeBaseStream, userStream } from '../../contracts/streams.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { usersProjector } from '../identity/users-projector.ts';
import { findUserById } from '../identity/users-read-model.ts';
import { createProjectionRuntime, rebuildProjection, verifyRebuild, type ProjectionRuntime } from '../runtime/index.ts';
import { findKnowledgeBase, listKnowledgeBases } from './knowledge-bases-read-model.ts';
import { knowledgeBasesProjector } from './knowledge-bases-projector.ts';
import { workspacesProjector } from '../workspaces/workspaces-projector.ts';

const projectors = [usersProjector, workspacesProjector, knowledgeBasesProjector];
const at = '2026-01-01T00:00:00.000Z';

const registered = (userId: string, email: string, role: string): EventData => ({
  type: 'UserRegistered',
  data: { userId, email, displayName: null, role, passwordHash: '$argon2id$x', registeredAt: at },
});
const kbCreated = (knowledgeBaseId: string, ownerId: string, name: string): EventData => ({
  type: 'KnowledgeBaseCreated',
  data: { knowledgeBaseId, ownerId, name, description: 'd', createdAt: at },
});
const uploaded = (documentId: string, knowledgeBaseId: string, revision: number): EventData => ({
  type: 'DocumentUploaded',
  data: { documentId, knowledgeBaseId, revision, name: 'a.txt', mediaType: 'text/plain', sizeBytes: 1, sha256: '0'.repeat(64), uploadedBy: 'u' },
});
const deleted = (documentId: string, knowledgeBaseId: string, revision: number): EventData => ({
  type: 'DocumentDeleted',
  data: { documentId, knowledgeBaseId, revision, deletedBy: 'u' },
});

describe.each(['pglite', 'postgres'] as const)('users and knowledge_bases projections on %s', (kind) => {
  let test: TestEventStore & { sql: NonNullable<TestEventStore['sql']> };
  let runtime: ProjectionRuntime;
  const alice = randomUUID();
  const kb1 = randomUUID();
  const kb2 = randomUUID();
  const [doc1, doc2] = [randomUUID(), randomUUID()];
  let head: Position;

  beforeAll(async () => {
    test = await openTestEventStore(kind);
    runtime = createProjectionRuntime({ sql: test.sql, eventStore: test.store, projectors, logger: pino({ level: 'silent' }) });
    await runtime.start();
    const { store } = test;
    await store.append(userStream(alice), [registered(alice, 'alice@example.com', 'admin')], 'no_stream');
    await store.append(knowledgeBaseStream(kb1), [kbCreated(kb1, alice, 'One')], 'no_stream');
    await store.append(knowledgeBaseStream(kb2), [kbCreated(kb2, 'bob', 'Two')], 'no_stream');
    // doc1: uploaded, deleted, uploaded again (a later revision); doc2: uploaded, deleted.
    await store.append(documentStream(doc1), [uploaded(doc1, kb1, 1), { type: 'DocumentIndexed', data: {} }], 'no_stream');
    await store.append(documentStream(doc2), [uploaded(doc2, kb1, 1)], 'no_stream');
    await store.append(documentStream(doc2), [deleted(doc2, kb1, 1)], 0);
    await store.append(documentStream(doc1), [deleted(doc1, kb1, 1)], 1);
    head = (await store.append(documentStream(doc1), [uploaded(doc1, kb1, 2)], 2)).position;
    await runtime.waitForPosition(head, { timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await runtime?.stop();
    await test?.close();
  });

  it('projects users and knowledge bases with their document count', async () => {
    expect(await findUserById(test.sql, alice)).toEqual({
      id: alice,
      email: 'alice@example.com',
      displayName: null,
      role: 'admin',
      createdAt: at,
      erasedAt: null,
    });
    expect(await findKnowledgeBase(test.sql, kb1)).toMatchObject({ ownerId: alice, name: 'One', documentCount: 1 });
    expect((await listKnowledgeBases(test.sql, { id: alice, role: 'member' })).map((kb) => kb.id)).toEqual([kb1]);
    expect((await listKnowledgeBases(test.sql, { id: 'admin', role: 'admin' })).map((kb) => kb.id).sort()).toEqual([kb1, kb2].sort());
  });

  it('replaying every event twice more changes nothing', async () => {
    const snapshot = async () => ({
      users: await test.sql.query(`SELECT * FROM users ORDER BY id`),
      kbs: await test.sql.query(`SELECT * FROM knowledge_bases ORDER BY id`),
      docs: await test.sql.query(`SELECT * FROM knowledge_base_documents ORDER BY document_id`),
    });
    const before = await snapshot();
    const events = await test.store.readAll();
    const ctx = (projector: string) => ({ projector, rebuilding: false });
    for (let round = 0; round < 2; round++) {
      for (const projector of projectors) {
        const mine = events.filter((e) => projector.filter?.eventTypes?.includes(e.type) ?? true);
        await test.sql.transaction((tx) => projector.handle(mine, tx, ctx(projector.name)));
      }
    }
    // Out of order too: an old upload delivered again after the delete that followed it.
    const oldUpload = events.find((e) => e.type === 'DocumentUploaded' && e.streamId === documentStream(doc2))!;
    await test.sql.transaction((tx) => knowledgeBasesProjector.handle([oldUpload], tx, ctx('knowledge-bases')));
    expect(await snapshot()).toEqual(before);
  });

  it('a rebuild from the log equals the live tables', async () => {
    for (const projector of projectors) {
      const target = { sql: test.sql, eventStore: test.store, projector };
      const rebuilt = await rebuildProjection(target);
      const verdict = await verifyRebuild({ ...target, schema: rebuilt.schema });
      expect(verdict, JSON.stringify(verdict)).toMatchObject({ equal: true });
    }
  });
});
