/**
 * Command handlers of API keys: create and revoke. The secret is made at the edge; only its hash and prefix arrive
 * here (contracts/api-keys.ts). Who may do what is checked against the log (createKnowledgeBaseAccess), so a member
 * removed or demoted a moment ago is refused at once:
 * - a personal key may be narrowed only to knowledge bases its creator may ask;
 * - a workspace key is created by an OWNER of the workspace (or an admin; not a member or no such workspace:
 *   NOT_FOUND, a member below OWNER: FORBIDDEN), and may be narrowed only to the workspace's knowledge bases;
 * - a key is revoked by its creator, an admin, or, a workspace key, any OWNER of its workspace.
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
import { mayDo, type AccessActor } from '../../contracts/workspaces.ts';
import { handleCommand } from '../decider.ts';
import { assertMayInWorkspace, createKnowledgeBaseAccess } from '../workspaces/knowledge-base-access.ts';
import { apiKeyDecider } from './api-key-decider.ts';

export interface ApiKeyDeps {
  store: EventStore;
  now: () => Date;
  newId: () => string;
}

/** The key as its stream holds it (the read model may not show it yet). */
async function viewOf(store: EventStore, apiKeyId: string): Promise<ApiKeyView | undefined> {
  const events = (await store.readStream(apiKeyStream(apiKeyId))).map(parseApiKeyEvent);
  const created = events.find((event) => event.type === 'ApiKeyCreated');
  if (created?.type !== 'ApiKeyCreated') return undefined;
  const revoked = events.find((event) => event.type === 'ApiKeyRevoked');
  const { ownerId, workspaceId, name, prefix, limits, createdAt } = created.data;
  return {
    id: apiKeyId,
    ownerId,
    workspaceId: workspaceId ?? null,
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
   * A key may only be narrowed to knowledge bases it could reach unnarrowed: naming another is refused, not
   * ignored. A personal key's: those its creator may ask; a workspace key's: the workspace's.
   */
  async function assertMayNarrowTo(actor: AccessActor, workspaceId: string | null, knowledgeBaseIds: readonly string[]): Promise<void> {
    for (const knowledgeBaseId of knowledgeBaseIds) {
      const knowledgeBase = await access.knowledgeBase(knowledgeBaseId, actor);
      if (!knowledgeBase) throw new DomainError('NOT_FOUND', `knowledge base ${knowledgeBaseId} does not exist`, { knowledgeBaseId });
      if (workspaceId !== null && knowledgeBase.workspaceId !== workspaceId) {
        throw new DomainError('FORBIDDEN', `knowledge base ${knowledgeBaseId} is not one of this workspace's`, { knowledgeBaseId, workspaceId });
      }
      if (!mayDo(knowledgeBase.role, 'ask')) {
        throw new DomainError('FORBIDDEN', `knowledge base ${knowledgeBaseId} is not yours to give a key to`, { knowledgeBaseId });
      }
    }
  }

  return {
    async create(actor, input: CreateApiKeyInput, secret, metadata) {
      const { workspaceId } = input;
      if (workspaceId !== null) await assertMayInWorkspace(access, workspaceId, actor, 'manageKeys');
      await assertMayNarrowTo(actor, workspaceId, input.knowledgeBaseIds);
      const apiKeyId = deps.newId();
      const ownerId = actor.id;
      const now = deps.now().toISOString();
      const limits = { creditsPerDay: input.creditsPerDay, requestsPerMinute: input.requestsPerMinute, knowledgeBaseIds: input.knowledgeBaseIds };
      const { position } = await handleCommand(
        store,
        apiKeyStream(apiKeyId),
        apiKeyDecider,
        { type: 'CreateApiKey', apiKeyId, ownerId, name: input.name, ...secret, limits, workspaceId: workspaceId ?? undefined, now },
        { metadata: { ...metadata, userId: ownerId } },
      );
      return {
        apiKey: { id: apiKeyId, ownerId, workspaceId, name: input.name, prefix: secret.prefix, ...limits, createdAt: now, revokedAt: null },
        position,
      };
    },

    async revoke(actor, apiKeyId, metadata) {
      // Whose workspace the key is (if any) never changes: read before the decider, which gets the actor's role.
      const before = await viewOf(store, apiKeyId);
      const byWorkspaceOwner =
        before?.workspaceId != null && (await access.workspace(before.workspaceId, actor)).role === 'owner';
      const result = await handleCommand(
        store,
        apiKeyStream(apiKeyId),
        apiKeyDecider,
        { type: 'RevokeApiKey', apiKeyId, by: actor, byWorkspaceOwner, now: deps.now().toISOString() },
        { metadata: { ...metadata, userId: actor.id } },
      );
      const apiKey = await viewOf(store, apiKeyId);
      if (!apiKey) throw new DomainError('INTERNAL', `api key ${apiKeyId} was not recorded`);
      return { apiKey, position: result.position };
    },
  };
}
