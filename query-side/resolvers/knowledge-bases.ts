/**
 * Knowledge-base resolvers: createKnowledgeBase (the creator's own, or a workspace's where the creator is an editor
 * or owner; within the creator's QUOTA_KNOWLEDGE_BASES; a retry with the same idempotencyKey answers with the
 * knowledge base the first attempt made) and knowledgeBases (own and workspaces', with the caller's role on each;
 * admins see all).
 */
import { createKnowledgeBaseInputSchema, type KnowledgeBaseCommands } from '../../contracts/knowledge-base.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import {
  countKnowledgeBases,
  knowledgeBaseWithRole,
  listKnowledgeBases,
} from '../../projections/knowledge-bases/knowledge-bases-read-model.ts';
import { knowledgeBasesProjector } from '../../projections/knowledge-bases/knowledge-bases-projector.ts';
import { assertWithinQuota, isLimited } from '../quotas/quotas.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { commandMetadata, parseInput } from './identity.ts';

export interface KnowledgeBaseResolverDeps {
  commands: KnowledgeBaseCommands;
  /** The read-model database (knowledge_bases table). */
  readModels: SqlExecutor;
  /** Knowledge bases one user may own (QUOTA_KNOWLEDGE_BASES; 0 or left out = no limit). */
  maxKnowledgeBases?: number;
}

export function createKnowledgeBaseResolvers(deps: KnowledgeBaseResolverDeps): ResolverMap {
  return {
    Mutation: {
      async createKnowledgeBase(
        _root: unknown,
        args: { name: string; description?: string | null; workspaceId?: string | null; idempotencyKey?: string | null },
        ctx: AppContext,
      ) {
        const owner = ctx.requireUser();
        const input = parseInput(createKnowledgeBaseInputSchema, args);
        const limit = deps.maxKnowledgeBases ?? 0;
        const admit = async () => {
          if (isLimited(limit)) assertWithinQuota('knowledgeBases', limit, await countKnowledgeBases(deps.readModels, owner.id));
        };
        const options = { admit, creatorRole: owner.role };
        const { knowledgeBase, position } = await deps.commands.create(owner.id, input, commandMetadata(ctx), options);
        const decided = { ...knowledgeBase, documentCount: 0, role: 'owner' as const };
        if (!(await ctx.waitUntilVisible(position, [knowledgeBasesProjector.name]))) return decided;
        const found = await knowledgeBaseWithRole(deps.readModels, knowledgeBase.id, owner);
        return found ? { ...found.knowledgeBase, role: found.role ?? decided.role } : decided;
      },
    },
    Query: {
      async knowledgeBases(_root: unknown, _args: unknown, ctx: AppContext) {
        const caller = ctx.requireUser();
        return listKnowledgeBases(deps.readModels, caller);
      },
    },
    KnowledgeBase: {
      myRole: (knowledgeBase: { role: string }) => knowledgeBase.role.toUpperCase(),
    },
  };
}
