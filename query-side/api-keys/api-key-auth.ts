/**
 * Who calls the OpenAI-compatible API: the bearer key, looked up by its hash in the api_keys read model, and its
 * owner, who asks and pays. A key found is remembered (rememberFound) so a request costs no read-model query; that
 * is safe because a key changes only by being revoked, and revocations reach every instance on the bus
 * (revocations.ts) and are checked on every request, never after a cache's age. A key not found is not remembered
 * (it may be a new key the read model shows a moment later). A remembered key is read again after a minute anyway:
 * pub/sub is not durable, and a message lost while Redis reconnected must not leave a revoked key working for good.
 */
import type { ApiKeyView } from '../../contracts/api-keys.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import type { TurnActor } from '../../contracts/turn-commands.ts';
import { rememberFound } from '../../contracts/remember-found.ts';
import { findApiKeyBySecretHash } from '../../projections/api-keys/api-keys-read-model.ts';
import { unauthorized } from '../openai-compat/openai-errors.ts';
import { bearerApiKey, hashApiKey } from './api-key-secrets.ts';
import type { ApiKeyRevocations } from './revocations.ts';

export interface ApiKeyCaller {
  key: ApiKeyView;
  /** The key's owner as a turn's asker. */
  actor: TurnActor;
}

export interface ApiKeyAuthDeps {
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
    return { key, actor };
  };
}
