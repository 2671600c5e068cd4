/**
 * Who calls the OpenAI-compatible API: the bearer key, looked up by its hash in the api_keys read model, and its
 * owner, who asks and pays. A key found is remembered (rememberFound) so a request costs no read-model query; that
 * is safe because a key changes only by being revoked, and revocations reach every instance on the bus
 * (revocations.ts) and are checked on every request, never after a cache's age. A key not found is not remembered
 * (it may be a new key the read model shows a moment later). A remembered key is read again after a minute anyway:
 * pub/sub is not durable, and a message lost while Redis reconnected must not leave a revoked key working for good.
 *
 * A workspace key asks as its creator (the turn's userId, as the saga needs an asker), and works only while its
 * creator is still an OWNER of the workspace (or an admin): checked on every request against the workspaces read
 * model (never remembered), so removing or demoting its creator stops it at once, 401 invalid_api_key as for a
 * revoked key (the key no longer authenticates anyone; OpenAI's clients raise AuthenticationError). Why not keep it
 * working as the workspace's: its creator saw and may still hold the secret, and a team that removes someone
 * expects every way in they had to close with them, without having to find and revoke their keys too; a key that
 * outlived its creator would also ask as someone who may no longer reach the knowledge bases. The other owners see
 * the key in the workspace's list and make a new one. Made an OWNER again, the creator's key works again: the key
 * itself was not revoked (revoking is the one way to end a key for good).
 */
import type { ApiKeyView } from '../../contracts/api-keys.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import type { TurnActor } from '../../contracts/turn-commands.ts';
import { rememberFound } from '../../contracts/remember-found.ts';
import { mayDo } from '../../contracts/workspaces.ts';
import { findApiKeyBySecretHash } from '../../projections/api-keys/api-keys-read-model.ts';
import { memberRole } from '../../projections/workspaces/workspaces-read-model.ts';
import { unauthorized } from '../openai-compat/openai-errors.ts';
import { bearerApiKey, hashApiKey } from './api-key-secrets.ts';
import type { ApiKeyRevocations } from './revocations.ts';

export interface ApiKeyCaller {
  key: ApiKeyView;
  /** The key's owner as a turn's asker. */
  actor: TurnActor;
}

export interface ApiKeyAuthDeps {
  /** The read-model database (api_keys; workspace_members for a workspace key's creator). */
  readModels: SqlExecutor;
  /** The owner's account (undefined: unknown or erased: the key stops working with the account). */
  owner(userId: string): Promise<TurnActor | undefined>;
  revocations: Pick<ApiKeyRevocations, 'isRevoked'>;
}

/** The safety net behind the bus: how long a remembered key is trusted before it is read again. */
const REREAD_KEY_MS = 60_000;

export type AuthenticateApiKey = (authorization: string | undefined) => Promise<ApiKeyCaller>;

export function createApiKeyAuthenticator(deps: ApiKeyAuthDeps): AuthenticateApiKey {
  const keyByHash = rememberFound((hash: string) => findApiKeyBySecretHash(deps.readModels, hash), 10_000, REREAD_KEY_MS);
  return async (authorization) => {
    const secret = bearerApiKey(authorization);
    if (secret === undefined) throw unauthorized();
    const key = await keyByHash(hashApiKey(secret));
    if (!key || key.revokedAt !== null || deps.revocations.isRevoked(key.id)) throw unauthorized();
    const actor = await deps.owner(key.ownerId);
    if (!actor) throw unauthorized('the account this API key belongs to is closed');
    if (key.workspaceId !== null) {
      const role = actor.role === 'admin' ? 'owner' : await memberRole(deps.readModels, key.workspaceId, key.ownerId);
      if (!mayDo(role, 'manageKeys')) {
        throw unauthorized('the creator of this workspace API key is no longer an owner of its workspace; an owner can create a new key');
      }
    }
    return { key, actor };
  };
}
