/**
 * API key commands on a real event store, with workspaces and knowledge bases in the log: who may create a
 * workspace key (its OWNERs and admins; other members FORBIDDEN, non-members and unknown workspaces NOT_FOUND),
 * which knowledge bases a key may be narrowed to, and who may revoke a workspace key (any of its OWNERs, read from
 * the log at the time: an owner removed a moment ago may not).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateApiKeyInput } from '../../contracts/api-keys.ts';
import { apiKeyStream, workspaceStream } from '../../contracts/streams.ts';
import type { MemberRole } from '../../contracts/workspaces.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { createKnowledgeBaseCommands } from '../knowledge-base/knowledge-base-commands.ts';
import { createApiKeyCommands } from './api-key-commands.ts';

const at = '2026-01-01T00:00:00.000Z';
const member = (id: string) => ({ id, role: 'member' as const });
const admin = { id: 'root', role: 'admin' as const };
const input = (overrides: Partial<CreateApiKeyInput> = {}): CreateApiKeyInput => ({
  name: 'CI',
  workspaceId: null,
  knowledgeBaseIds: [],
  creditsPerDay: null,
  requestsPerMinute: null,
  ...overrides,
});

describe('api key commands with workspaces (on a real event store)', () => {
  let events: TestEventStore;
  let ids = 0;
  let serial = 0;
  const secret = () => ({ prefix: 'ka_live_abcd', secretSha256: (++serial).toString(16).padStart(64, '0') });
  const commands = () => createApiKeyCommands({ store: events.store, now: () => new Date(at), newId: () => `key-${++ids}` });
  const kbCommands = () => createKnowledgeBaseCommands({ store: events.store, now: () => new Date(at), newId: () => `kb-${++ids}` });
  let workspaceKb: string;
  let otherWorkspaceKb: string;
  let alicesKb: string;

  const addMember = async (workspaceId: string, userId: string, role: MemberRole) => {
    const stream = await events.store.readStream(workspaceStream(workspaceId));
    await events.store.append(
      workspaceStream(workspaceId),
      [{ type: 'MemberAdded', data: { workspaceId, userId, role, addedBy: 'alice', addedAt: at } }],
      stream.length - 1,
    );
  };
  const removeMember = async (workspaceId: string, userId: string) => {
    const stream = await events.store.readStream(workspaceStream(workspaceId));
    await events.store.append(
      workspaceStream(workspaceId),
      [{ type: 'MemberRemoved', data: { workspaceId, userId, removedBy: 'alice', removedAt: at } }],
      stream.length - 1,
    );
  };

  beforeAll(async () => {
    events = await openTestEventStore('pglite');
    for (const [workspaceId, ownerId] of [['w1', 'alice'], ['w2', 'dave']] as const) {
      await events.store.append(
        workspaceStream(workspaceId),
        [
          { type: 'WorkspaceCreated', data: { workspaceId, name: workspaceId, ownerId, createdAt: at } },
          { type: 'MemberAdded', data: { workspaceId, userId: ownerId, role: 'owner', addedBy: ownerId, addedAt: at } },
        ],
        'no_stream',
      );
    }
    await addMember('w1', 'olga', 'owner');
    await addMember('w1', 'ed', 'editor');
    await addMember('w1', 'vic', 'viewer');
    const kb = async (ownerId: string, workspaceId: string | null) =>
      (await kbCommands().create(ownerId, { name: 'KB', description: null, workspaceId }, {})).knowledgeBase.id;
    workspaceKb = await kb('alice', 'w1');
    otherWorkspaceKb = await kb('dave', 'w2');
    alicesKb = await kb('alice', null);
  }, 60_000);
  afterAll(async () => {
    await events?.close();
  });

  it('an owner creates a workspace key: the event carries the workspace, its creator is the owner id', async () => {
    const { apiKey } = await commands().create(member('alice'), input({ workspaceId: 'w1', knowledgeBaseIds: [workspaceKb] }), secret(), {});
    expect(apiKey).toMatchObject({ ownerId: 'alice', workspaceId: 'w1', knowledgeBaseIds: [workspaceKb] });
    const [created] = await events.store.readStream(apiKeyStream(apiKey.id));
    expect(created!.data).toMatchObject({ ownerId: 'alice', workspaceId: 'w1' });
  });

  it('a personal key’s event has no workspaceId (as before workspaces)', async () => {
    const { apiKey } = await commands().create(member('alice'), input(), secret(), {});
    expect(apiKey.workspaceId).toBeNull();
    const [created] = await events.store.readStream(apiKeyStream(apiKey.id));
    expect(created!.data).not.toHaveProperty('workspaceId');
  });

  it('editors and viewers are FORBIDDEN; non-members and unknown workspaces NOT_FOUND; admins may', async () => {
    for (const who of ['ed', 'vic']) {
      await expect(commands().create(member(who), input({ workspaceId: 'w1' }), secret(), {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(commands().create(member('dave'), input({ workspaceId: 'w1' }), secret(), {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(commands().create(member('alice'), input({ workspaceId: 'nope' }), secret(), {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { apiKey } = await commands().create(admin, input({ workspaceId: 'w1' }), secret(), {});
    expect(apiKey).toMatchObject({ ownerId: 'root', workspaceId: 'w1' });
  });

  it('a workspace key may be narrowed only to the workspace’s knowledge bases', async () => {
    for (const knowledgeBaseId of [alicesKb, otherWorkspaceKb]) {
      await expect(commands().create(member('alice'), input({ workspaceId: 'w1', knowledgeBaseIds: [knowledgeBaseId] }), secret(), {})).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    // Even an admin's workspace key.
    await expect(commands().create(admin, input({ workspaceId: 'w1', knowledgeBaseIds: [otherWorkspaceKb] }), secret(), {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(commands().create(member('alice'), input({ workspaceId: 'w1', knowledgeBaseIds: ['missing'] }), secret(), {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('a personal key may be narrowed to any knowledge base its creator may ask, a workspace’s included', async () => {
    const { apiKey } = await commands().create(member('vic'), input({ knowledgeBaseIds: [workspaceKb] }), secret(), {});
    expect(apiKey).toMatchObject({ workspaceId: null, knowledgeBaseIds: [workspaceKb] });
    await expect(commands().create(member('vic'), input({ knowledgeBaseIds: [otherWorkspaceKb] }), secret(), {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(commands().create(member('vic'), input({ knowledgeBaseIds: [alicesKb] }), secret(), {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('any owner of the workspace revokes its key; other members may not; a removed owner may not any more', async () => {
    const first = (await commands().create(member('alice'), input({ workspaceId: 'w1' }), secret(), {})).apiKey;
    for (const who of ['ed', 'vic', 'dave']) {
      await expect(commands().revoke(member(who), first.id, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    const revoked = await commands().revoke(member('olga'), first.id, {});
    expect(revoked.apiKey.revokedAt).toBe(at);
    expect((await events.store.readStream(apiKeyStream(first.id))).at(-1)!.data).toMatchObject({ by: 'olga' });

    const second = (await commands().create(member('alice'), input({ workspaceId: 'w1' }), secret(), {})).apiKey;
    await removeMember('w1', 'olga');
    await expect(commands().revoke(member('olga'), second.id, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // An owner may not revoke someone's personal key for being an owner somewhere.
    const personal = (await commands().create(member('ed'), input(), secret(), {})).apiKey;
    await expect(commands().revoke(member('alice'), personal.id, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
