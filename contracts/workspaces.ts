/**
 * Workspaces (teams): the events of the `workspace-{id}` stream, the member roles and what each role may do to a
 * knowledge base of the workspace, the validated inputs and the command port the query side calls.
 *
 * A knowledge base belongs to a person (no workspaceId: its creator is its only user, as OWNER) or to a workspace,
 * whose members reach it by their role. Admins may do everything everywhere. The one table of who may do what is
 * KNOWLEDGE_BASE_OPERATIONS below; both sides read it (the command side with roles from the log, the query side
 * with roles from the workspaces read model).
 */
import { z } from 'zod';
import { eventParser, type EventsOf } from './event-parser.ts';
import type { EventMetadata } from './eventstore.ts';
import type { Position } from './position.ts';

export const MEMBER_ROLES = ['owner', 'editor', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
const memberRole = z.enum(MEMBER_ROLES);

const RANK: Record<MemberRole, number> = { viewer: 1, editor: 2, owner: 3 };

/**
 * The least role each operation on a knowledge base needs. Viewers ask and search (and see what documents there
 * are); editors change what the knowledge base knows; owners manage the workspace: members, keys, its wallet.
 */
export const KNOWLEDGE_BASE_OPERATIONS = {
  ask: 'viewer',
  search: 'viewer',
  listDocuments: 'viewer',
  upload: 'editor',
  changeDocuments: 'editor',
  curate: 'editor',
  createKnowledgeBase: 'editor',
  manageMembers: 'owner',
  /** The audit trail of the knowledge base's and its documents' streams (and of the workspace's own). */
  readAuditTrail: 'owner',
  manageKeys: 'owner',
  fundWallet: 'owner',
} as const satisfies Record<string, MemberRole>;
export type KnowledgeBaseOperation = keyof typeof KNOWLEDGE_BASE_OPERATIONS;

export const mayDo = (role: MemberRole | null | undefined, operation: KnowledgeBaseOperation): boolean =>
  role !== null && role !== undefined && RANK[role] >= RANK[KNOWLEDGE_BASE_OPERATIONS[operation]];

/** What a refusal says: the role the operation needs, on a knowledge base or in a workspace. */
export const neededRole = (operation: KnowledgeBaseOperation, where = 'on the knowledge base'): string =>
  `this needs the ${KNOWLEDGE_BASE_OPERATIONS[operation]} role (or more) ${where}`;

/** Whose a knowledge base is, as its KnowledgeBaseCreated says. */
export interface KnowledgeBaseHolder {
  ownerId: string;
  workspaceId: string | null;
}

export interface AccessActor {
  id: string;
  role: 'admin' | 'member';
}

/**
 * The actor's role on a knowledge base: OWNER of their own personal ones, their membership's role in a workspace's,
 * none otherwise. An admin acts as OWNER everywhere. `memberRole` is the actor's role in the workspace (if any).
 */
export function roleOnKnowledgeBase(holder: KnowledgeBaseHolder, actor: AccessActor, memberRole: MemberRole | null): MemberRole | null {
  if (actor.role === 'admin') return 'owner';
  if (holder.workspaceId === null) return holder.ownerId === actor.id ? 'owner' : null;
  return memberRole;
}

/** The actor's role in a workspace: their membership's, OWNER for an admin (who acts as one everywhere). */
export const roleInWorkspace = (actor: AccessActor, memberRole: MemberRole | null): MemberRole | null =>
  actor.role === 'admin' ? 'owner' : memberRole;

const id = z.string().min(1).max(200);
const at = z.string().min(1);

export const workspaceEventSchemas = {
  WorkspaceCreated: z.object({ workspaceId: id, name: z.string().min(1).max(200), ownerId: id, createdAt: at }),
  MemberAdded: z.object({ workspaceId: id, userId: id, role: memberRole, addedBy: id, addedAt: at }),
  MemberRoleChanged: z.object({ workspaceId: id, userId: id, role: memberRole, changedBy: id, changedAt: at }),
  MemberRemoved: z.object({ workspaceId: id, userId: id, removedBy: id, removedAt: at }),
  /** From now on the workspace's questions are paid from its own wallet (`wallet-{workspaceId}`). */
  WorkspaceWalletOpened: z.object({ workspaceId: id, openedBy: id, openedAt: at }),
} as const;

export type WorkspaceEvent = EventsOf<typeof workspaceEventSchemas>;
export const WORKSPACE_EVENT_TYPES = Object.keys(workspaceEventSchemas) as WorkspaceEvent['type'][];
export const parseWorkspaceEvent = eventParser(workspaceEventSchemas);

export const workspaceNameSchema = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(200, 'name must be at most 200 characters');

/** GraphQL's MemberRole (OWNER, EDITOR, VIEWER) in the log's spelling. */
export const memberRoleInputSchema = z
  .enum(['OWNER', 'EDITOR', 'VIEWER'])
  .transform((role) => role.toLowerCase() as MemberRole);

export interface WorkspaceMemberView {
  userId: string;
  role: MemberRole;
}

/** A workspace as its stream holds it (the read model may not show it yet). */
export interface WorkspaceView {
  id: string;
  name: string;
  ownerId: string;
  members: WorkspaceMemberView[];
  walletOpen: boolean;
  createdAt: string;
}

export interface WorkspaceChange {
  workspace: WorkspaceView;
  /** Where to wait for the read model; undefined when nothing was appended (a repeat). */
  position: Position | undefined;
}

export interface WorkspaceCommands {
  create(actor: AccessActor, name: string, metadata: EventMetadata): Promise<WorkspaceChange>;
  /**
   * Owners (and admins) add an existing user by email address, or change a member's role. NOT_FOUND: no such user.
   * Taking the last owner's OWNER role away is CONFLICT: a workspace always has an owner.
   */
  addMember(actor: AccessActor, workspaceId: string, email: string, role: MemberRole, metadata: EventMetadata): Promise<WorkspaceChange>;
  /** Owners remove anyone, a member removes themself (leaves); never the last owner. Removing a non-member is a no-op. */
  removeMember(actor: AccessActor, workspaceId: string, userId: string, metadata: EventMetadata): Promise<WorkspaceChange>;
  /** Owners: questions of the workspace's knowledge bases are paid by its wallet from now on. A repeat is a no-op. */
  openWallet(actor: AccessActor, workspaceId: string, metadata: EventMetadata): Promise<WorkspaceChange>;
}
