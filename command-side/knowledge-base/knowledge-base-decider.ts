/** The `kb-{id}` aggregate: created once, by its creator, for themself or for a workspace. */
import { DomainError } from '../../contracts/errors.ts';
import { parseKnowledgeBaseEvent, type KnowledgeBaseEvent } from '../../contracts/knowledge-base.ts';
import type { StreamDecider } from '../decider.ts';

export type KnowledgeBaseCommand = {
  type: 'CreateKnowledgeBase';
  knowledgeBaseId: string;
  ownerId: string;
  workspaceId: string | null;
  name: string;
  description: string | null;
  now: string;
};

export type KnowledgeBaseState =
  | { status: 'absent' }
  | {
      status: 'created';
      knowledgeBaseId: string;
      ownerId: string;
      workspaceId: string | null;
      name: string;
      description: string | null;
    };

const initialState = (): KnowledgeBaseState => ({ status: 'absent' });

function evolve(state: KnowledgeBaseState, event: KnowledgeBaseEvent): KnowledgeBaseState {
  switch (event.type) {
    case 'KnowledgeBaseCreated': {
      const { knowledgeBaseId, ownerId, workspaceId, name, description } = event.data;
      return { status: 'created', knowledgeBaseId, ownerId, workspaceId, name, description };
    }
    default: {
      // Compile-time exhaustiveness; at run time an event type added later is ignored, not fatal.
      const _unhandled: never = event.type;
      return state;
    }
  }
}

function decide(command: KnowledgeBaseCommand, state: KnowledgeBaseState): KnowledgeBaseEvent[] {
  switch (command.type) {
    case 'CreateKnowledgeBase': {
      const { knowledgeBaseId, ownerId, workspaceId, name, description, now } = command;
      if (state.status === 'created') {
        // A retried create of the same thing is a no-op; anything else reusing the id is a conflict.
        const same = state.ownerId === ownerId && state.workspaceId === workspaceId;
        if (same && state.name === name && state.description === description) return [];
        throw new DomainError('CONFLICT', `knowledge base ${knowledgeBaseId} already exists`);
      }
      return [{ type: 'KnowledgeBaseCreated', data: { knowledgeBaseId, ownerId, workspaceId, name, description, createdAt: now } }];
    }
    default: {
      const unhandled: never = command.type;
      throw new Error(`unhandled command ${String(unhandled)}`);
    }
  }
}

export const knowledgeBaseDecider: StreamDecider<KnowledgeBaseCommand, KnowledgeBaseEvent, KnowledgeBaseState> = {
  parseEvent: parseKnowledgeBaseEvent,
  initialState,
  evolve,
  decide,
};
