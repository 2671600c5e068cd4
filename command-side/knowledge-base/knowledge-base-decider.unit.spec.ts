import { describe, it } from 'vitest';
import type { KnowledgeBaseCreated } from '../../contracts/knowledge-base.ts';
import { DeciderSpecification } from '../decider-specification.ts';
import { knowledgeBaseDecider, type KnowledgeBaseCommand } from './knowledge-base-decider.ts';

const spec = DeciderSpecification.for(knowledgeBaseDecider);
const now = '2026-01-02T03:04:05.000Z';
const create: KnowledgeBaseCommand = {
  type: 'CreateKnowledgeBase',
  knowledgeBaseId: 'kb1',
  ownerId: 'u1',
  workspaceId: null,
  name: 'Handbook',
  description: null,
  now,
};
const created: KnowledgeBaseCreated = {
  type: 'KnowledgeBaseCreated',
  data: { knowledgeBaseId: 'kb1', ownerId: 'u1', workspaceId: null, name: 'Handbook', description: null, createdAt: now },
};

describe('knowledge base decider', () => {
  it('creates a knowledge base owned by its creator', () => {
    spec.given([]).when(create).then([created]);
  });

  it('treats a retried identical create as done', () => {
    spec.given([created]).when({ ...create, now: '2026-01-02T03:05:00.000Z' }).thenNothing();
  });

  it('refuses a different create on an existing id', () => {
    spec.given([created]).when({ ...create, ownerId: 'u2' }).thenThrows('CONFLICT', /already exists/);
  });

  it('refuses the same create for a workspace on an id made for a personal knowledge base', () => {
    spec.given([created]).when({ ...create, workspaceId: 'w1' }).thenThrows('CONFLICT', /already exists/);
  });
});
