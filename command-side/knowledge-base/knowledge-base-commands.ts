/** Command handlers of knowledge bases: create (the creator owns it). */
import { DomainError } from '../../contracts/errors.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import type { KnowledgeBaseCommands } from '../../contracts/knowledge-base.ts';
import { knowledgeBaseStream } from '../../contracts/streams.ts';
import { handleCommand } from '../decider.ts';
import { knowledgeBaseDecider } from './knowledge-base-decider.ts';

export interface KnowledgeBaseDeps {
  store: EventStore;
  now: () => Date;
  newId: () => string;
}

export function createKnowledgeBaseCommands(deps: KnowledgeBaseDeps): KnowledgeBaseCommands {
  return {
    async create(ownerId, input, metadata) {
      const knowledgeBaseId = deps.newId();
      const now = deps.now().toISOString();
      const result = await handleCommand(
        deps.store,
        knowledgeBaseStream(knowledgeBaseId),
        knowledgeBaseDecider,
        { type: 'CreateKnowledgeBase', knowledgeBaseId, ownerId, name: input.name, description: input.description, now },
        { metadata: { ...metadata, userId: ownerId } },
      );
      if (result.state.status !== 'created' || result.position === undefined) {
        throw new DomainError('INTERNAL', 'knowledge base was not recorded');
      }
      const { name, description } = result.state;
      return { knowledgeBase: { id: knowledgeBaseId, name, description, ownerId, createdAt: now }, position: result.position };
    },
  };
}
