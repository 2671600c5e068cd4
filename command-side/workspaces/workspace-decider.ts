/**
 * The `workspace-{id}` aggregate: its members and their roles, and whether it pays from its own wallet. Rules:
 * owners (and admins) manage members; a member may leave; a workspace always keeps at least one owner; adding a
 * member again with the same role, removing a non-member and opening an open wallet change nothing.
 */
import { DomainError } from '../../contracts/errors.ts';
import {
  parseWorkspaceEvent,
  type AccessActor,
  type MemberRole,
  type WorkspaceEvent,
  type WorkspaceView,
} from '../../contracts/workspaces.ts';
import type { StreamDecider } from '../decider.ts';

export type WorkspaceCommand =
  | { type: 'CreateWorkspace'; workspaceId: string; name: string; by: AccessActor; now: string }
  | { type: 'AddMember'; workspaceId: string; userId: string; role: MemberRole; by: AccessActor; now: string }
  | { type: 'RemoveMember'; workspaceId: string; userId: string; by: AccessActor; now: string }
  | { type: 'OpenWallet'; workspaceId: string; by: AccessActor; now: string };

export type WorkspaceState =
  | { status: 'absent' }
  | {
      status: 'created';
      workspaceId: string;
      name: string;
      ownerId: string;
      createdAt: string;
      /** userId -> role, in the order they joined. */
      members: ReadonlyMap<string, MemberRole>;
      walletOpen: boolean;
    };

type Created = Extract<WorkspaceState, { status: 'created' }>;

const initialState = (): WorkspaceState => ({ status: 'absent' });

function withMember(state: WorkspaceState, userId: string, role: MemberRole | undefined): WorkspaceState {
  if (state.status !== 'created') return state;
  const members = new Map(state.members);
  if (role === undefined) members.delete(userId);
  else members.set(userId, role);
  return { ...state, members };
}

function evolve(state: WorkspaceState, event: WorkspaceEvent): WorkspaceState {
  switch (event.type) {
    case 'WorkspaceCreated': {
      const { workspaceId, name, ownerId, createdAt } = event.data;
      return { status: 'created', workspaceId, name, ownerId, createdAt, members: new Map([[ownerId, 'owner']]), walletOpen: false };
    }
    case 'MemberAdded':
    case 'MemberRoleChanged':
      return withMember(state, event.data.userId, event.data.role);
    case 'MemberRemoved':
      return withMember(state, event.data.userId, undefined);
    case 'WorkspaceWalletOpened':
      return state.status === 'created' ? { ...state, walletOpen: true } : state;
    default: {
      const _unhandled: never = event;
      return state;
    }
  }
}

export const memberRoleOf = (state: WorkspaceState, userId: string): MemberRole | null =>
  state.status === 'created' ? (state.members.get(userId) ?? null) : null;

function existing(state: WorkspaceState, workspaceId: string): Created {
  if (state.status !== 'created') throw new DomainError('NOT_FOUND', 'workspace not found', { workspaceId });
  return state;
}

function assertOwner(state: Created, by: AccessActor): void {
  if (by.role === 'admin' || memberRoleOf(state, by.id) === 'owner') return;
  if (memberRoleOf(state, by.id) === null) throw new DomainError('NOT_FOUND', 'workspace not found', { workspaceId: state.workspaceId });
  throw new DomainError('FORBIDDEN', 'only an owner of the workspace may do this');
}

function assertKeepsAnOwner(state: Created, userId: string): void {
  const owners = [...state.members.values()].filter((role) => role === 'owner').length;
  if (state.members.get(userId) === 'owner' && owners === 1) {
    throw new DomainError('CONFLICT', 'a workspace keeps at least one owner: make someone else owner first', { userId });
  }
}

function decide(command: WorkspaceCommand, state: WorkspaceState): WorkspaceEvent[] {
  const { workspaceId, by, now } = command;
  switch (command.type) {
    case 'CreateWorkspace': {
      if (state.status === 'created') {
        if (state.ownerId === by.id && state.name === command.name) return [];
        throw new DomainError('CONFLICT', `workspace ${workspaceId} already exists`);
      }
      return [{ type: 'WorkspaceCreated', data: { workspaceId, name: command.name, ownerId: by.id, createdAt: now } }];
    }
    case 'AddMember': {
      const workspace = existing(state, workspaceId);
      assertOwner(workspace, by);
      const { userId, role } = command;
      const current = memberRoleOf(workspace, userId);
      if (current === role) return [];
      if (current === null) return [{ type: 'MemberAdded', data: { workspaceId, userId, role, addedBy: by.id, addedAt: now } }];
      if (role !== 'owner') assertKeepsAnOwner(workspace, userId);
      return [{ type: 'MemberRoleChanged', data: { workspaceId, userId, role, changedBy: by.id, changedAt: now } }];
    }
    case 'RemoveMember': {
      const workspace = existing(state, workspaceId);
      if (by.id !== command.userId) assertOwner(workspace, by);
      if (memberRoleOf(workspace, command.userId) === null) return [];
      assertKeepsAnOwner(workspace, command.userId);
      return [{ type: 'MemberRemoved', data: { workspaceId, userId: command.userId, removedBy: by.id, removedAt: now } }];
    }
    case 'OpenWallet': {
      const workspace = existing(state, workspaceId);
      assertOwner(workspace, by);
      if (workspace.walletOpen) return [];
      return [{ type: 'WorkspaceWalletOpened', data: { workspaceId, openedBy: by.id, openedAt: now } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
}

export const workspaceDecider: StreamDecider<WorkspaceCommand, WorkspaceEvent, WorkspaceState> = {
  parseEvent: parseWorkspaceEvent,
  initialState,
  evolve,
  decide,
};

/** The workspace as GraphQL shows it, from its state. */
export function workspaceView(state: WorkspaceState): WorkspaceView {
  if (state.status !== 'created') throw new DomainError('INTERNAL', 'workspace has no events');
  const members = [...state.members].map(([userId, role]) => ({ userId, role }));
  const { workspaceId: id, name, ownerId, walletOpen, createdAt } = state;
  return { id, name, ownerId, members, walletOpen, createdAt };
}
