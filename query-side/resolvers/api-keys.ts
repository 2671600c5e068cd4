/**
 * API-key resolvers: createApiKey (the secret is made here, at the edge, returned once and handed on only as its
 * hash), revokeApiKey (announced to every api instance before it answers, see api-keys/revocations.ts) and apiKeys:
 * the caller's personal keys, or with a workspaceId the workspace's keys, for its OWNERs and admins (from the
 * workspaces read model: no such workspace or not a member: NOT_FOUND, a member below OWNER: FORBIDDEN). Who may
 * create or revoke which key is the commands' rule, checked against the log.
 */
import { createApiKeyInputSchema, type ApiKeyCommands } from '../../contracts/api-keys.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { API_KEYS_PROJECTOR } from '../../projections/api-keys/api-keys-projector.ts';
import { countActiveApiKeys, findApiKey, listApiKeys, listWorkspaceApiKeys } from '../../projections/api-keys/api-keys-read-model.ts';
import { assertMayInWorkspace } from '../access/knowledge-base-access.ts';
import type { AuthUser } from '../auth/tokens.ts';
import { assertWithinQuota, isLimited } from '../quotas/quotas.ts';
import { newApiKeySecret } from '../api-keys/api-key-secrets.ts';
import type { ApiKeyRevocations } from '../api-keys/revocations.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { commandMetadata, parseInput } from './identity.ts';

export interface ApiKeyResolverDeps {
  commands: ApiKeyCommands;
  /** The read-model database (api_keys, workspaces, workspace_members). */
  readModels: SqlExecutor;
  revocations: Pick<ApiKeyRevocations, 'announce'>;
  /** Keys not revoked per user (personal) and per workspace (QUOTA_API_KEYS; 0 or left out = no limit). */
  maxApiKeys?: number;
}

export function createApiKeyResolvers(deps: ApiKeyResolverDeps): ResolverMap {
  /** Listing a workspace's keys is managing them: its OWNERs (and admins) only. */
  const assertMayListKeysOf = (caller: AuthUser, workspaceId: string) =>
    assertMayInWorkspace(deps.readModels, caller, workspaceId, 'manageKeys');

  return {
    Mutation: {
      async createApiKey(
        _root: unknown,
        args: { name: string; workspaceId?: string | null; knowledgeBaseIds?: string[] | null; creditsPerDay?: number | null; requestsPerMinute?: number | null },
        ctx: AppContext,
      ) {
        const caller = ctx.requireUser();
        const input = parseInput(createApiKeyInputSchema, args);
        const limit = deps.maxApiKeys ?? 0;
        if (isLimited(limit)) {
          // Only those who may manage a workspace's keys learn how many it has.
          if (input.workspaceId !== null) await assertMayListKeysOf(caller, input.workspaceId);
          assertWithinQuota('apiKeys', limit, await countActiveApiKeys(deps.readModels, { ownerId: caller.id, workspaceId: input.workspaceId }));
        }
        const { secret, ...stored } = newApiKeySecret();
        const { apiKey, position } = await deps.commands.create({ id: caller.id, role: caller.role }, input, stored, commandMetadata(ctx));
        // Wait for the read model: the key must work on the very next request, which looks it up there.
        await ctx.waitUntilVisible(position, [API_KEYS_PROJECTOR]);
        return { key: secret, apiKey };
      },
      async revokeApiKey(_root: unknown, args: { id: string }, ctx: AppContext) {
        const caller = ctx.requireUser();
        const { apiKey, position } = await deps.commands.revoke({ id: caller.id, role: caller.role }, args.id, commandMetadata(ctx));
        // Every api instance refuses the key from this message on, whatever its read model or cache says.
        await deps.revocations.announce(apiKey.id);
        await ctx.waitUntilVisible(position, [API_KEYS_PROJECTOR]);
        return (await findApiKey(deps.readModels, apiKey.id)) ?? apiKey;
      },
    },
    Query: {
      async apiKeys(_root: unknown, args: { workspaceId?: string | null }, ctx: AppContext) {
        const caller = ctx.requireUser();
        const workspaceId = args.workspaceId ?? null;
        if (workspaceId === null) return listApiKeys(deps.readModels, caller.id);
        await assertMayListKeysOf(caller, workspaceId);
        return listWorkspaceApiKeys(deps.readModels, workspaceId);
      },
    },
  };
}
