/**
 * Workspace resolvers: createWorkspace, addMember, removeMember, workspaces and workspace. The rules (owners
 * manage members, a workspace keeps an owner) are the decider's, against the log; a change answers once the
 * workspaces read model shows it, so the very next request of the new member finds the workspace's knowledge bases.
 */
import { z } from 'zod';
import { emailSchema } from '../../contracts/identity.ts';
import { DomainError } from '../../contracts/errors.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import {
  memberRoleInputSchema,
  workspaceNameSchema,
  type WorkspaceChange,
  type WorkspaceCommands,
} from '../../contracts/workspaces.ts';
import { findUserById } from '../../projections/identity/users-read-model.ts';
import { listKnowledgeBases } from '../../projections/knowledge-bases/knowledge-bases-read-model.ts';
import { WORKSPACES_PROJECTOR } from '../../projections/workspaces/workspaces-projector.ts';
import {
  findWorkspace,
  listMembers,
  listWorkspaces,
  memberRole,
  type WorkspaceMemberRow,
  type WorkspaceRow,
} from '../../projections/workspaces/workspaces-read-model.ts';
import type { AuthUser } from '../auth/tokens.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { commandMetadata, parseInput } from './identity.ts';

export interface WorkspaceResolverDeps {
  commands: WorkspaceCommands;
  /** The read-model database (workspaces, workspace_members, knowledge_bases, users). */
  readModels: SqlExecutor;
}

const addMemberSchema = z.object({ workspaceId: z.string().min(1), email: emailSchema, role: memberRoleInputSchema });

/** A workspace row as the Workspace type resolvers take it: who is looking decides what myRole and wallet say. */
export type ShownWorkspace = WorkspaceRow & { viewer: AuthUser };
type Shown = ShownWorkspace;

/**
 * The workspace after a change, from the read model once `projectors` show `position`, else as its stream has it
 * (read-your-writes).
 */
export async function shownAfterChange(
  ctx: AppContext,
  readModels: SqlExecutor,
  { workspace, position }: WorkspaceChange,
  projectors: readonly string[] = [WORKSPACES_PROJECTOR],
): Promise<ShownWorkspace> {
  const viewer = ctx.requireUser();
  if (await ctx.waitUntilVisible(position, projectors)) {
    const row = await findWorkspace(readModels, workspace.id);
    if (row) return { ...row, viewer };
  }
  const { id, name, ownerId, walletOpen, createdAt } = workspace;
  return { id, name, ownerId, walletOpen, createdAt, viewer };
}

export function createWorkspaceResolvers(deps: WorkspaceResolverDeps): ResolverMap {
  const { commands, readModels } = deps;
  const changed = (ctx: AppContext, change: WorkspaceChange) => shownAfterChange(ctx, readModels, change);

  async function visibleTo(user: AuthUser, workspaceId: string): Promise<Shown> {
    const row = await findWorkspace(readModels, workspaceId);
    const member = row && (user.role === 'admin' || (await memberRole(readModels, workspaceId, user.id)) !== null);
    if (!row || !member) throw new DomainError('NOT_FOUND', 'workspace not found', { workspaceId });
    return { ...row, viewer: user };
  }

  return {
    Mutation: {
      async createWorkspace(_root: unknown, args: { name: string }, ctx: AppContext) {
        const user = ctx.requireUser();
        const name = parseInput(workspaceNameSchema, args.name);
        return changed(ctx, await commands.create(user, name, commandMetadata(ctx)));
      },
      async addMember(_root: unknown, args: { workspaceId: string; email: string; role: string }, ctx: AppContext) {
        const user = ctx.requireUser();
        const { workspaceId, email, role } = parseInput(addMemberSchema, args);
        return changed(ctx, await commands.addMember(user, workspaceId, email, role, commandMetadata(ctx)));
      },
      async removeMember(_root: unknown, args: { workspaceId: string; userId: string }, ctx: AppContext) {
        const user = ctx.requireUser();
        return changed(ctx, await commands.removeMember(user, args.workspaceId, args.userId, commandMetadata(ctx)));
      },
    },
    Query: {
      async workspaces(_root: unknown, _args: unknown, ctx: AppContext): Promise<Shown[]> {
        const user = ctx.requireUser();
        const rows = await listWorkspaces(readModels, user.role === 'admin' ? undefined : user.id);
        return rows.map((row) => ({ ...row, viewer: user }));
      },
      workspace: (_root: unknown, args: { id: string }, ctx: AppContext) => visibleTo(ctx.requireUser(), args.id),
    },
    Workspace: {
      members: (workspace: Shown) => listMembers(readModels, workspace.id),
      async myRole(workspace: Shown) {
        const role = await memberRole(readModels, workspace.id, workspace.viewer.id);
        // An admin acts as an owner everywhere; a member who just left reads the workspace one last time: none.
        return role?.toUpperCase() ?? (workspace.viewer.role === 'admin' ? 'OWNER' : null);
      },
      async knowledgeBases(workspace: Shown) {
        const reachable = await listKnowledgeBases(readModels, workspace.viewer);
        return reachable.filter((knowledgeBase) => knowledgeBase.workspaceId === workspace.id);
      },
    },
    Member: {
      async user(member: WorkspaceMemberRow) {
        const user = await findUserById(readModels, member.userId);
        return user ?? { id: member.userId, email: '', displayName: null, role: 'member', erasedAt: null };
      },
      role: (member: WorkspaceMemberRow) => member.role.toUpperCase(),
    },
  };
}
