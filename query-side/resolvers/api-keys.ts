/**
 * API-key resolvers: createApiKey (the secret is made here, at the edge, returned once and handed on only as its
 * hash), revokeApiKey (announced to every api instance before it answers, see api-keys/revocations.ts) and apiKeys
 * (the caller's own). Workspaces do not exist yet: a workspaceId is refused rather than ignored.
 */
import { createApiKeyInputSchema, type ApiKeyCommands, type ApiKeyView } from '../../contracts/api-keys.ts';
import { DomainError } from '../../contracts/errors.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { API_KEYS_PROJECTOR } from '../../projections/api-keys/api-keys-projector.ts';
import { findApiKey, listApiKeys } from '../../projections/api-keys/api-keys-read-model.ts';
import { newApiKeySecret } from '../api-keys/api-key-secrets.ts';
import type { ApiKeyRevocations } from '../api-keys/revocations.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { commandMetadata, parseInput } from './identity.ts';

export interface ApiKeyResolverDeps {
  commands: ApiKeyCommands;
  /** The read-model database (api_keys table). */
  readModels: SqlExecutor;
  revocations: Pick<ApiKeyRevocations, 'announce'>;
}

function refuseWorkspace(workspaceId: string | null | undefined): void {
  if (workspaceId !== null && workspaceId !== undefined) {
    throw new DomainError('BAD_USER_INPUT', 'workspaces do not exist yet: leave workspaceId out', { field: 'workspaceId' });
  }
}

/** GraphQL ApiKey: workspaceId is always null until workspaces exist. */
const shown = (key: ApiKeyView) => ({ ...key, workspaceId: null });

export function createApiKeyResolvers(deps: ApiKeyResolverDeps): ResolverMap {
  return {
    Mutation: {
      async createApiKey(
        _root: unknown,
        args: { name: string; workspaceId?: string | null; knowledgeBaseIds?: string[] | null; creditsPerDay?: number | null; requestsPerMinute?: number | null },
        ctx: AppContext,
      ) {
        const owner = ctx.requireUser();
        refuseWorkspace(args.workspaceId);
        const input = parseInput(createApiKeyInputSchema, args);
        const { secret, ...stored } = newApiKeySecret();
        const { apiKey, position } = await deps.commands.create(owner.id, input, stored, commandMetadata(ctx));
        // Wait for the read model: the key must work on the very next request, which looks it up there.
        await ctx.waitUntilVisible(position, [API_KEYS_PROJECTOR]);
        return { key: secret, apiKey: shown(apiKey) };
      },
      async revokeApiKey(_root: unknown, args: { id: string }, ctx: AppContext) {
        const caller = ctx.requireUser();
        const { apiKey, position } = await deps.commands.revoke({ id: caller.id, role: caller.role }, args.id, commandMetadata(ctx));
        // Every api instance refuses the key from this message on, whatever its read model or cache says.
        await deps.revocations.announce(apiKey.id);
        await ctx.waitUntilVisible(position, [API_KEYS_PROJECTOR]);
        return shown((await findApiKey(deps.readModels, apiKey.id)) ?? apiKey);
      },
    },
    Query: {
      async apiKeys(_root: unknown, args: { workspaceId?: string | null }, ctx: AppContext) {
        const caller = ctx.requireUser();
        refuseWorkspace(args.workspaceId);
        return (await listApiKeys(deps.readModels, caller.id)).map(shown);
      },
    },
  };
}
