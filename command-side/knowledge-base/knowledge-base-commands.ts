/**
 * Command handlers of knowledge bases: create (the creator owns it, or it belongs to a workspace where the creator
 * is an editor or owner), idempotent per idempotency key (knowledge-base-ids.ts).
 */
import { DomainError } from '../../contracts/errors.ts';
import type { EventStore, RecordedEvent } from '../../contracts/eventstore.ts';
import {
  parseKnowledgeBaseEvent,
  type CreatedKnowledgeBase,
  type CreateKnowledgeBaseInput,
  type KnowledgeBaseCommands,
} from '../../contracts/knowledge-base.ts';
import { knowledgeBaseStream } from '../../contracts/streams.ts';
import { handleCommand } from '../decider.ts';
import { assertMayInWorkspace, createKnowledgeBaseAccess } from '../workspaces/knowledge-base-access.ts';
import { knowledgeBaseIdFor } from './knowledge-base-ids.ts';
import { knowledgeBaseDecider } from './knowledge-base-decider.ts';

export interface KnowledgeBaseDeps {
  store: EventStore;
  now: () => Date;
  newId: () => string;
}

/** The knowledge base a recorded KnowledgeBaseCreated describes, if it is the one this input asks for. */
function asRetry(recorded: RecordedEvent, ownerId: string, input: CreateKnowledgeBaseInput): CreatedKnowledgeBase {
  const { knowledgeBaseId, ownerId: owner, workspaceId, name, description, createdAt } = parseKnowledgeBaseEvent(recorded).data;
  if (owner !== ownerId || workspaceId !== (input.workspaceId ?? null) || name !== input.name || description !== input.description) {
    throw new DomainError('CONFLICT', 'this idempotencyKey was used for another knowledge base (another name, description or workspace)', {
      knowledgeBaseId,
    });
  }
  return {
    knowledgeBase: { id: knowledgeBaseId, name, description, ownerId, workspaceId, createdAt },
    position: recorded.position,
    created: false,
  };
}

export function createKnowledgeBaseCommands(deps: KnowledgeBaseDeps): KnowledgeBaseCommands {
  const access = createKnowledgeBaseAccess(deps.store);

  async function assertMayCreateIn(workspaceId: string | null, actor: { id: string; role: 'admin' | 'member' }): Promise<void> {
    if (workspaceId !== null) await assertMayInWorkspace(access, workspaceId, actor, 'createKnowledgeBase');
  }

  const firstEventOf = async (knowledgeBaseId: string) =>
    (await deps.store.readStream(knowledgeBaseStream(knowledgeBaseId), { maxCount: 1 }))[0];

  return {
    async create(ownerId, input, metadata, options = {}) {
      const key = input.idempotencyKey;
      const knowledgeBaseId = key === undefined ? deps.newId() : knowledgeBaseIdFor(ownerId, key);
      if (key !== undefined) {
        const earlier = await firstEventOf(knowledgeBaseId);
        if (earlier) return asRetry(earlier, ownerId, input);
      }
      await assertMayCreateIn(input.workspaceId ?? null, { id: ownerId, role: options.creatorRole ?? 'member' });
      await options.admit?.();
      const now = deps.now().toISOString();
      const result = await handleCommand(
        deps.store,
        knowledgeBaseStream(knowledgeBaseId),
        knowledgeBaseDecider,
        { type: 'CreateKnowledgeBase', knowledgeBaseId, ownerId, workspaceId: input.workspaceId ?? null, name: input.name, description: input.description, now },
        { metadata: { ...metadata, userId: ownerId } },
      );
      if (result.position === undefined) {
        // A concurrent retry with the same key appended first: this one is that one.
        const earlier = await firstEventOf(knowledgeBaseId);
        if (!earlier) throw new DomainError('INTERNAL', 'knowledge base was not recorded');
        return asRetry(earlier, ownerId, input);
      }
      const { name, description } = input;
      const knowledgeBase = { id: knowledgeBaseId, name, description, ownerId, workspaceId: input.workspaceId ?? null, createdAt: now };
      return { knowledgeBase, position: result.position, created: true };
    },
  };
}
