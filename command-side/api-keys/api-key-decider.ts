/**
 * The `apikey-{id}` aggregate: created once with its owner (creator), workspace if any, limits and secret's hash;
 * revoked at most once, by its creator, an admin, or (a workspace key) an OWNER of its workspace: the command says
 * whether the actor is one, read from the workspace's stream by api-key-commands.ts.
 */
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
      /** undefined: a personal key (the event then has no workspaceId, as every key before workspaces). */
      workspaceId?: string | undefined;
      now: string;
    }
  | {
      type: 'RevokeApiKey';
      apiKeyId: string;
      by: { id: string; role: 'admin' | 'member' };
      /** `by` is an OWNER of the key's workspace, as its stream says now (false for a personal key). */
      byWorkspaceOwner?: boolean;
      now: string;
    };

export type ApiKeyState =
  | { status: 'absent' }
  | { status: 'active' | 'revoked'; apiKeyId: string; ownerId: string; workspaceId: string | null; secretSha256: string };

const initialState = (): ApiKeyState => ({ status: 'absent' });

function evolve(state: ApiKeyState, event: ApiKeyEvent): ApiKeyState {
  switch (event.type) {
    case 'ApiKeyCreated': {
      const { apiKeyId, ownerId, workspaceId, secretSha256 } = event.data;
      return { status: 'active', apiKeyId, ownerId, workspaceId: workspaceId ?? null, secretSha256 };
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
      const { apiKeyId, ownerId, name, prefix, secretSha256, limits, workspaceId, now } = command;
      // A personal key's event is exactly what it was before workspaces: no workspaceId field at all.
      const workspace = workspaceId === undefined ? {} : { workspaceId };
      return [{ type: 'ApiKeyCreated', data: { apiKeyId, ownerId, name, prefix, secretSha256, limits, ...workspace, createdAt: now } }];
    }
    case 'RevokeApiKey': {
      if (state.status === 'absent') throw new DomainError('NOT_FOUND', `api key ${command.apiKeyId} does not exist`);
      const workspaceOwner = state.workspaceId !== null && command.byWorkspaceOwner === true;
      if (state.ownerId !== command.by.id && command.by.role !== 'admin' && !workspaceOwner) {
        throw new DomainError(
          'FORBIDDEN',
          state.workspaceId === null
            ? 'only the owner of this api key (or an admin) may revoke it'
            : 'only an owner of the workspace of this api key (or its creator, or an admin) may revoke it',
        );
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
