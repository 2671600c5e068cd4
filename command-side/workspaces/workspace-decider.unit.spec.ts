import { describe, it } from 'vitest';
import type { WorkspaceEvent } from '../../contracts/workspaces.ts';
import { DeciderSpecification } from '../decider-specification.ts';
import { workspaceDecider, type WorkspaceCommand } from './workspace-decider.ts';

const spec = DeciderSpecification.for(workspaceDecider);
const now = '2026-01-02T03:04:05.000Z';
const as = (id: string, role: 'admin' | 'member' = 'member') => ({ id, role });
const workspaceId = 'w1';

const created: WorkspaceEvent = { type: 'WorkspaceCreated', data: { workspaceId, name: 'Support', ownerId: 'ann', createdAt: now } };
const added = (userId: string, role: 'owner' | 'editor' | 'viewer', by = 'ann'): WorkspaceEvent => ({
  type: 'MemberAdded',
  data: { workspaceId, userId, role, addedBy: by, addedAt: now },
});
const add = (userId: string, role: 'owner' | 'editor' | 'viewer', by = as('ann')): WorkspaceCommand => ({
  type: 'AddMember',
  workspaceId,
  userId,
  role,
  by,
  now,
});
const remove = (userId: string, by = as('ann')): WorkspaceCommand => ({ type: 'RemoveMember', workspaceId, userId, by, now });
const removed = (userId: string, by = 'ann'): WorkspaceEvent => ({
  type: 'MemberRemoved',
  data: { workspaceId, userId, removedBy: by, removedAt: now },
});

describe('workspace decider', () => {
  it('makes its creator the owner', () => {
    spec.given([]).when({ type: 'CreateWorkspace', workspaceId, name: 'Support', by: as('ann'), now }).then([created]);
  });

  it('lets an owner add a member, and treats the same add again as done', () => {
    spec.given([created]).when(add('bob', 'viewer')).then([added('bob', 'viewer')]);
    spec.given([created, added('bob', 'viewer')]).when(add('bob', 'viewer')).thenNothing();
  });

  it('changes the role of a member added again with another role', () => {
    spec
      .given([created, added('bob', 'viewer')])
      .when(add('bob', 'editor'))
      .then([{ type: 'MemberRoleChanged', data: { workspaceId, userId: 'bob', role: 'editor', changedBy: 'ann', changedAt: now } }]);
  });

  it('refuses members who are not owners, and hides the workspace from outsiders', () => {
    spec.given([created, added('ed', 'editor')]).when(add('bob', 'viewer', as('ed'))).thenThrows('FORBIDDEN', /owner/);
    spec.given([created]).when(add('bob', 'viewer', as('eve'))).thenThrows('NOT_FOUND', /workspace/);
    spec.given([]).when(add('bob', 'viewer')).thenThrows('NOT_FOUND', /workspace/);
  });

  it('lets an admin manage any workspace', () => {
    spec.given([created]).when(add('bob', 'editor', as('root', 'admin'))).then([added('bob', 'editor', 'root')]);
  });

  it('always keeps an owner: the last one can be neither demoted nor removed, even by themself', () => {
    spec.given([created, added('bob', 'viewer')]).when(add('ann', 'editor')).thenThrows('CONFLICT', /at least one owner/);
    spec.given([created]).when(remove('ann')).thenThrows('CONFLICT', /at least one owner/);
    spec.given([created, added('bob', 'owner')]).when(remove('ann')).then([removed('ann')]);
  });

  it('lets a member leave, but not remove others', () => {
    spec.given([created, added('bob', 'viewer')]).when(remove('bob', as('bob'))).then([removed('bob', 'bob')]);
    spec.given([created, added('bob', 'viewer'), added('cy', 'editor')]).when(remove('bob', as('cy'))).thenThrows('FORBIDDEN', /owner/);
  });

  it('treats removing a non-member as done', () => {
    spec.given([created, added('bob', 'viewer'), removed('bob')]).when(remove('bob')).thenNothing();
  });

  it('opens the wallet once, for owners only', () => {
    const open = (by = as('ann')): WorkspaceCommand => ({ type: 'OpenWallet', workspaceId, by, now });
    const opened: WorkspaceEvent = { type: 'WorkspaceWalletOpened', data: { workspaceId, openedBy: 'ann', openedAt: now } };
    spec.given([created]).when(open()).then([opened]);
    spec.given([created, opened]).when(open()).thenNothing();
    spec.given([created, added('ed', 'editor')]).when(open(as('ed'))).thenThrows('FORBIDDEN', /owner/);
  });
});
