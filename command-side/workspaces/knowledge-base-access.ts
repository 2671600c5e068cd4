/**
 * Who may do what to a knowledge base, read from the log (so a member removed a moment ago is refused at once):
 * the knowledge base's first event says whose it is (a person's or a workspace's), the workspace's stream says the
 * actor's role in it and whether it pays from its own wallet. contracts/workspaces.ts has the table of what each
 * role may do.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { parseKnowledgeBaseEvent } from '../../contracts/knowledge-base.ts';
import { rememberFound } from '../../contracts/remember-found.ts';
import { knowledgeBaseStream, workspaceStream } from '../../contracts/streams.ts';
import {
  mayDo,
  neededRole,
  roleInWorkspace,
  roleOnKnowledgeBase,
  type AccessActor,
  type KnowledgeBaseHolder,
  type KnowledgeBaseOperation,
  type MemberRole,
} from '../../contracts/workspaces.ts';
import { foldEvents } from '../decider.ts';
import { memberRoleOf, workspaceDecider, type WorkspaceState } from './workspace-decider.ts';

export interface KnowledgeBaseAccess extends KnowledgeBaseHolder {
  knowledgeBaseId: string;
  /** The actor's role on it; null: none (not theirs, not a member of its workspace). */
  role: MemberRole | null;
  /** The wallet that pays for questions to it: the workspace's once opened, else undefined (the asker's). */
  payingWorkspaceId: string | undefined;
}

export interface WorkspaceAccess {
  /** undefined: no such workspace. */
  exists: boolean;
  /** The actor's role in it (an admin counts as owner). */
  role: MemberRole | null;
  walletOpen: boolean;
}

export interface KnowledgeBaseAccessReader {
  /** undefined: no such knowledge base. */
  knowledgeBase(knowledgeBaseId: string, actor: AccessActor): Promise<KnowledgeBaseAccess | undefined>;
  workspace(workspaceId: string, actor: AccessActor): Promise<WorkspaceAccess>;
}

/**
 * The workspace, once `actor` may do `operation` there: NOT_FOUND when there is no such workspace or the actor is
 * not a member (to them it does not exist), FORBIDDEN when their role is too low.
 */
export async function assertMayInWorkspace(
  access: KnowledgeBaseAccessReader,
  workspaceId: string,
  actor: AccessActor,
  operation: KnowledgeBaseOperation,
): Promise<WorkspaceAccess> {
  const workspace = await access.workspace(workspaceId, actor);
  if (!workspace.exists || workspace.role === null) throw new DomainError('NOT_FOUND', 'workspace not found', { workspaceId });
  if (!mayDo(workspace.role, operation)) throw new DomainError('FORBIDDEN', neededRole(operation, 'in the workspace'), { workspaceId });
  return workspace;
}

export function createKnowledgeBaseAccess(store: EventStore): KnowledgeBaseAccessReader {
  // A knowledge base never changes hands and is never deleted: its holder is read once per process.
  const holderOf = rememberFound(async (knowledgeBaseId: string): Promise<KnowledgeBaseHolder | undefined> => {
    const [created] = await store.readStream(knowledgeBaseStream(knowledgeBaseId), { maxCount: 1 });
    if (!created) return undefined;
    const { ownerId, workspaceId } = parseKnowledgeBaseEvent(created).data;
    return { ownerId, workspaceId };
  });

  const workspaceState = async (workspaceId: string): Promise<WorkspaceState> =>
    foldEvents(workspaceDecider, (await store.readStream(workspaceStream(workspaceId))).map(workspaceDecider.parseEvent));

  async function workspace(workspaceId: string, actor: AccessActor): Promise<WorkspaceAccess> {
    const state = await workspaceState(workspaceId);
    if (state.status !== 'created') return { exists: false, role: null, walletOpen: false };
    const role = roleInWorkspace(actor, memberRoleOf(state, actor.id));
    return { exists: true, role, walletOpen: state.walletOpen };
  }

  return {
    workspace,
    async knowledgeBase(knowledgeBaseId, actor) {
      const holder = await holderOf(knowledgeBaseId);
      if (!holder) return undefined;
      if (holder.workspaceId === null) {
        return { knowledgeBaseId, ...holder, role: roleOnKnowledgeBase(holder, actor, null), payingWorkspaceId: undefined };
      }
      const state = await workspaceState(holder.workspaceId);
      const role = roleOnKnowledgeBase(holder, actor, memberRoleOf(state, actor.id));
      const payingWorkspaceId = state.status === 'created' && state.walletOpen ? holder.workspaceId : undefined;
      return { knowledgeBaseId, ...holder, role, payingWorkspaceId };
    },
  };
}
