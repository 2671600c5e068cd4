/**
 * Command handlers of API keys: create (the caller owns it; every knowledge base it names must be one the owner may
 * ask: theirs, one of their workspaces' by their role there, or any for an admin) and revoke. The secret is made at the edge; only its hash and prefix arrive here (contracts/api-keys.ts).
 */
import {
  parseApiKeyEvent,
  type ApiKeyCommands,
  type ApiKeyView,
  type CreateApiKeyInput,
} from '../../contracts/api-keys.ts';
import { DomainError } from '../../contracts/errors.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { apiKeyStream } from '../../contracts/streams.ts';
import { mayDo } from '../../contracts/workspaces.ts';
import { handleCommand } from '../decider.ts';
import { createKnowledgeBaseAccess } from '../workspaces/knowledge-base-access.ts';
import { apiKeyDecider } from './api-key-decider.ts';

export interface ApiKeyDeps {
  store: EventStore;
  now: () => Date;
  newId: () => string;
  /** The owner's role: an admin may restrict a key to anyone's knowledge bases (as they may ask any). */
  roleOf: (userId: string) => Promise<'admin' | 'member' | undefined>;
}

/** The key as its stream holds it (the read model may not show it yet). */
async function viewOf(store: EventStore, apiKeyId: string): Promise<ApiKeyView | undefined> {
  const events = (await store.readStream(apiKeyStream(apiKeyId))).map(parseApiKeyEvent);
  const created = events.find((event) => event.type === 'ApiKeyCreated');
  if (created?.type !== 'ApiKeyCreated') return undefined;
  const revoked = events.find((event) => event.type === 'ApiKeyRevoked');
  const { ownerId, name, prefix, limits, createdAt } = created.data;
  return {
    id: apiKeyId,
    ownerId,
    name,
    prefix,
    ...limits,
    createdAt,
    revokedAt: revoked?.type === 'ApiKeyRevoked' ? revoked.data.revokedAt : null,
  };
}

export function createApiKeyCommands(deps: ApiKeyDeps): ApiKeyCommands {
  const { store } = deps;
  const access = createKnowledgeBaseAccess(store);

  /**
   * A key may only be narrowed to knowledge bases its owner may ask (contracts/workspaces.ts: a viewer of a
   * workspace's one may): naming another is refused, not ignored.
   */
  async function assertMayUse(ownerId: string, knowledgeBaseIds: readonly string[]): Promise<void> {
    if (knowledgeBaseIds.length === 0) return;
    const actor = { id: ownerId, role: (await deps.roleOf(ownerId)) === 'admin' ? ('admin' as const) : ('member' as const) };
    for (const knowledgeBaseId of knowledgeBaseIds) {
      const found = await access.knowledgeBase(knowledgeBaseId, actor);
      if (!found) throw new DomainError('NOT_FOUND', `knowledge base ${knowledgeBaseId} does not exist`, { knowledgeBaseId });
      if (!mayDo(found.role, 'ask')) {
        throw new DomainError('FORBIDDEN', `knowledge base ${knowledgeBaseId} is not one you may ask, to give a key to`, { knowledgeBaseId });
      }
    }
  }

  return {
    async create(ownerId, input: CreateApiKeyInput, secret, metadata) {
      await assertMayUse(ownerId, input.knowledgeBaseIds);
      const apiKeyId = deps.newId();
      const now = deps.now().toISOString();
      const limits = { creditsPerDay: input.creditsPerDay, requestsPerMinute: input.requestsPerMinute, knowledgeBaseIds: input.knowledgeBaseIds };
      const { position } = await handleCommand(
        store,
        apiKeyStream(apiKeyId),
        apiKeyDecider,
        { type: 'CreateApiKey', apiKeyId, ownerId, name: input.name, ...secret, limits, now },
        { metadata: { ...metadata, userId: ownerId } },
      );
      return {
        apiKey: { id: apiKeyId, ownerId, name: input.name, prefix: secret.prefix, ...limits, createdAt: now, revokedAt: null },
        position,
      };
    },

    async revoke(actor, apiKeyId, metadata) {
      const result = await handleCommand(
        store,
        apiKeyStream(apiKeyId),
        apiKeyDecider,
        { type: 'RevokeApiKey', apiKeyId, by: actor, now: deps.now().toISOString() },
        { metadata: { ...metadata, userId: actor.id } },
      );
      const apiKey = await viewOf(store, apiKeyId);
      if (!apiKey) throw new DomainError('INTERNAL', `api key ${apiKeyId} was not recorded`);
      return { apiKey, position: result.position };
    },
  };
}
