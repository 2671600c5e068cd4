/** The `apikey-{id}` aggregate: created once with its owner, limits and secret's hash; revoked at most once. */
import { DomainError } from '../../contracts/errors.ts';
import { parseApiKeyEvent, type ApiKeyEvent, type ApiKeyLimits } from '../../contracts/api-keys.ts';
import type { StreamDecider } from '../decider.ts';

export type ApiKeyCommand =
  | {
      type: 'CreateApiKey';
      apiKeyId: string;
      ownerId: string;
      name: string;
      prefix: string;
      secretSha256: string;
      limits: ApiKeyLimits;
      now: string;
    }
  | { type: 'RevokeApiKey'; apiKeyId: string; by: { id: string; role: 'admin' | 'member' }; now: string };

export type ApiKeyState =
  | { status: 'absent' }
  | { status: 'active' | 'revoked'; apiKeyId: string; ownerId: string; secretSha256: string };

const initialState = (): ApiKeyState => ({ status: 'absent' });

function evolve(state: ApiKeyState, event: ApiKeyEvent): ApiKeyState {
  switch (event.type) {
    case 'ApiKeyCreated': {
      const { apiKeyId, ownerId, secretSha256 } = event.data;
      return { status: 'active', apiKeyId, ownerId, secretSha256 };
    }
    case 'ApiKeyRevoked':
      return state.status === 'absent' ? state : { ...state, status: 'revoked' };
    default: {
      const _unhandled: never = event;
      return state;
    }
  }
}

function decide(command: ApiKeyCommand, state: ApiKeyState): ApiKeyEvent[] {
  switch (command.type) {
    case 'CreateApiKey': {
      // Ids are fresh uuids: a second create on one id is a bug or a replayed request, never a new key.
      if (state.status !== 'absent') throw new DomainError('CONFLICT', `api key ${command.apiKeyId} already exists`);
      const { apiKeyId, ownerId, name, prefix, secretSha256, limits, now } = command;
      return [{ type: 'ApiKeyCreated', data: { apiKeyId, ownerId, name, prefix, secretSha256, limits, createdAt: now } }];
    }
    case 'RevokeApiKey': {
      if (state.status === 'absent') throw new DomainError('NOT_FOUND', `api key ${command.apiKeyId} does not exist`);
      if (state.ownerId !== command.by.id && command.by.role !== 'admin') {
        throw new DomainError('FORBIDDEN', 'only the owner of this api key (or an admin) may revoke it');
      }
      if (state.status === 'revoked') return [];
      return [{ type: 'ApiKeyRevoked', data: { apiKeyId: command.apiKeyId, by: command.by.id, revokedAt: command.now } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
}

export const apiKeyDecider: StreamDecider<ApiKeyCommand, ApiKeyEvent, ApiKeyState> = {
  parseEvent: parseApiKeyEvent,
  initialState,
  evolve,
  decide,
};
