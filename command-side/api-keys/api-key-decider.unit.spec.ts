import { describe, expect, it } from 'vitest';
import type { ApiKeyEvent } from '../../contracts/api-keys.ts';
import { DeciderSpecification } from '../decider-specification.ts';
import { apiKeyDecider, type ApiKeyCommand } from './api-key-decider.ts';

const spec = DeciderSpecification.for(apiKeyDecider);
const now = '2026-01-02T03:04:05.000Z';
const limits = { creditsPerDay: 5000, requestsPerMinute: 10, knowledgeBaseIds: ['kb1'] };
const secret = { prefix: 'ka_live_abcd', secretSha256: 'a'.repeat(64) };
const create: ApiKeyCommand = { type: 'CreateApiKey', apiKeyId: 'k1', ownerId: 'u1', name: 'CI', ...secret, limits, now };
const created: ApiKeyEvent = {
  type: 'ApiKeyCreated',
  data: { apiKeyId: 'k1', ownerId: 'u1', name: 'CI', ...secret, limits, createdAt: now },
};
const revoke = (id: string, role: 'admin' | 'member' = 'member'): Extract<ApiKeyCommand, { type: 'RevokeApiKey' }> => ({
  type: 'RevokeApiKey',
  apiKeyId: 'k1',
  by: { id, role },
  now,
});
const revoked: ApiKeyEvent = { type: 'ApiKeyRevoked', data: { apiKeyId: 'k1', by: 'u1', revokedAt: now } };

describe('api key decider', () => {
  it('creates a key with its hash, prefix and limits', () => {
    spec.given([]).when(create).then([created]);
  });

  it('refuses a second create on the same id', () => {
    spec.given([created]).when(create).thenThrows('CONFLICT', /already exists/);
  });

  it('lets the owner revoke', () => {
    spec.given([created]).when(revoke('u1')).then([revoked]);
  });

  it('lets an admin revoke anyone’s key', () => {
    spec.given([created]).when(revoke('admin1', 'admin')).then([{ ...revoked, data: { ...revoked.data, by: 'admin1' } }]);
  });

  it('refuses anyone else', () => {
    spec.given([created]).when(revoke('u2')).thenThrows('FORBIDDEN');
  });

  it('treats revoking a revoked key as done', () => {
    spec.given([created, revoked]).when(revoke('u1')).thenNothing();
  });

  it('cannot revoke a key that does not exist', () => {
    spec.given([]).when(revoke('u1')).thenThrows('NOT_FOUND');
  });

  it('writes a personal key’s event as before workspaces: no workspaceId field at all', () => {
    const [event] = apiKeyDecider.decide(create, apiKeyDecider.initialState());
    expect(Object.keys(event!.data)).not.toContain('workspaceId');
  });

  it('an event without workspaceId (every key before workspaces) is a personal key: an owner of a workspace may not revoke it', () => {
    spec.given([created]).when({ ...revoke('u2'), byWorkspaceOwner: true }).thenThrows('FORBIDDEN', /owner of this api key/);
  });

  describe('a workspace key', () => {
    const wsCreate: ApiKeyCommand = { ...create, workspaceId: 'w1' } as ApiKeyCommand;
    const wsCreated: ApiKeyEvent = { type: 'ApiKeyCreated', data: { ...created.data, workspaceId: 'w1' } } as ApiKeyEvent;

    it('carries its workspace', () => {
      spec.given([]).when(wsCreate).then([wsCreated]);
    });

    it('may be revoked by any owner of its workspace, not only its creator', () => {
      spec.given([wsCreated]).when({ ...revoke('u2'), byWorkspaceOwner: true }).then([{ ...revoked, data: { ...revoked.data, by: 'u2' } }]);
    });

    it('may still be revoked by its creator, and by an admin', () => {
      spec.given([wsCreated]).when(revoke('u1')).then([revoked]);
      spec.given([wsCreated]).when(revoke('admin1', 'admin')).then([{ ...revoked, data: { ...revoked.data, by: 'admin1' } }]);
    });

    it('refuses other members (not owners) of the workspace', () => {
      spec.given([wsCreated]).when({ ...revoke('u2'), byWorkspaceOwner: false }).thenThrows('FORBIDDEN', /owner of the workspace/);
    });
  });
});
