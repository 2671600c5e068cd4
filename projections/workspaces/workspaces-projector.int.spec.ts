import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventData } from '../../contracts/eventstore.ts';
import { knowledgeBaseStream, workspaceStream } from '../../contracts/streams.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { knowledgeBasesProjector } from '../knowledge-bases/knowledge-bases-projector.ts';
import { knowledgeBaseWithRole, listKnowledgeBases } from '../knowledge-bases/knowledge-bases-read-model.ts';
import { createProjectionRuntime, rebuildProjection, verifyRebuild, type ProjectionRuntime } from '../runtime/index.ts';
import { findWorkspace, listMembers, listWorkspaces, memberRole } from './workspaces-read-model.ts';
import { workspacesProjector } from './workspaces-projector.ts';

const at = '2026-01-01T00:00:00.000Z';
const member = (type: 'MemberAdded' | 'MemberRoleChanged', workspaceId: string, userId: string, role: string): EventData =>
  type === 'MemberAdded'
    ? { type, data: { workspaceId, userId, role, addedBy: 'ann', addedAt: at } }
    : { type, data: { workspaceId, userId, role, changedBy: 'ann', changedAt: at } };
const removed = (workspaceId: string, userId: string): EventData => ({
  type: 'MemberRemoved',
  data: { workspaceId, userId, removedBy: 'ann', removedAt: at },
});
const kbCreated = (knowledgeBaseId: string, ownerId: string, workspaceId?: string): EventData => ({
  type: 'KnowledgeBaseCreated',
  // A knowledge base of a log written before workspaces has no workspaceId at all.
  data: { knowledgeBaseId, ownerId, name: knowledgeBaseId.slice(0, 6), description: null, createdAt: at, ...(workspaceId && { workspaceId }) },
});

describe.each(['pglite', 'postgres'] as const)('workspaces projection on %s', (kind) => {
  let test: TestEventStore & { sql: NonNullable<TestEventStore['sql']> };
  let runtime: ProjectionRuntime;
  const [ann, bob, cy, dan] = ['ann', 'bob', 'cy', 'dan'].map((name) => `${name}-${randomUUID()}`) as [string, string, string, string];
  const [w1, w2] = [randomUUID(), randomUUID()];
  const [teamKb, annKb, bobKb] = [randomUUID(), randomUUID(), randomUUID()];
  const projectors = [workspacesProjector, knowledgeBasesProjector];

  beforeAll(async () => {
    test = await openTestEventStore(kind);
    runtime = createProjectionRuntime({ sql: test.sql, eventStore: test.store, projectors, logger: pino({ level: 'silent' }) });
    await runtime.start();
    const { store } = test;
    await store.append(workspaceStream(w1), [{ type: 'WorkspaceCreated', data: { workspaceId: w1, name: 'Support', ownerId: ann, createdAt: at } }], 'no_stream');
    await store.append(workspaceStream(w2), [{ type: 'WorkspaceCreated', data: { workspaceId: w2, name: 'Sales', ownerId: cy, createdAt: at } }], 'no_stream');
    await store.append(
      workspaceStream(w1),
      [
        member('MemberAdded', w1, bob, 'viewer'),
        member('MemberAdded', w1, cy, 'viewer'),
        member('MemberRoleChanged', w1, bob, 'editor'),
        removed(w1, cy),
        member('MemberAdded', w1, dan, 'viewer'),
        removed(w1, dan),
        member('MemberAdded', w1, dan, 'owner'),
        { type: 'WorkspaceWalletOpened', data: { workspaceId: w1, openedBy: ann, openedAt: at } },
      ],
      0,
    );
    await store.append(knowledgeBaseStream(teamKb), [kbCreated(teamKb, bob, w1)], 'no_stream');
    await store.append(knowledgeBaseStream(annKb), [kbCreated(annKb, ann)], 'no_stream');
    const head = (await store.append(knowledgeBaseStream(bobKb), [kbCreated(bobKb, bob)], 'no_stream')).position;
    await runtime.waitForPosition(head, { timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await runtime?.stop();
    await test?.close();
  });

  it('projects members with their latest roles; the removed are gone, the re-added back', async () => {
    expect(await findWorkspace(test.sql, w1)).toMatchObject({ name: 'Support', ownerId: ann, walletOpen: true });
    expect((await listMembers(test.sql, w1)).map((m) => [m.userId, m.role])).toEqual([
      [ann, 'owner'],
      [dan, 'owner'],
      [bob, 'editor'],
    ]);
    expect(await memberRole(test.sql, w1, cy)).toBeNull();
    expect((await listWorkspaces(test.sql, cy)).map((w) => w.id)).toEqual([w2]);
    expect((await listWorkspaces(test.sql, bob)).map((w) => w.id)).toEqual([w1]);
  });

  it('gives each user the knowledge bases they may reach, with their role', async () => {
    const reach = async (id: string) =>
      (await listKnowledgeBases(test.sql, { id, role: 'member' })).map((kb) => [kb.id, kb.role]).sort();
    expect(await reach(ann)).toEqual([[annKb, 'owner'], [teamKb, 'owner']].sort());
    expect(await reach(bob)).toEqual([[bobKb, 'owner'], [teamKb, 'editor']].sort());
    expect(await reach(cy)).toEqual([]);
    expect((await knowledgeBaseWithRole(test.sql, teamKb, { id: cy, role: 'member' }))?.role).toBeNull();
    expect((await knowledgeBaseWithRole(test.sql, bobKb, { id: ann, role: 'member' }))?.role).toBeNull();
    expect((await knowledgeBaseWithRole(test.sql, bobKb, { id: 'root', role: 'admin' }))?.role).toBe('owner');
    expect((await knowledgeBaseWithRole(test.sql, annKb, { id: ann, role: 'member' }))?.knowledgeBase.workspaceId).toBeNull();
  });

  it('replaying every event twice more changes nothing (a removal is not undone by its add again)', async () => {
    const snapshot = async () => ({
      workspaces: await test.sql.query(`SELECT * FROM workspaces ORDER BY id`),
      members: await test.sql.query(`SELECT * FROM workspace_members ORDER BY workspace_id, user_id`),
    });
    const before = await snapshot();
    const events = (await test.store.readAll()).filter((e) => e.streamId.startsWith('workspace-'));
    for (let round = 0; round < 2; round++) {
      await test.sql.transaction((tx) => workspacesProjector.handle(events, tx, { projector: workspacesProjector.name, rebuilding: false }));
    }
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
