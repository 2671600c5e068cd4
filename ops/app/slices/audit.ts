/**
 * The audit trail: any stream's events as they are in the log (secrets redacted), and a turn's causation chain
 * (Turn.trail); no read model of its own. Listed after chat, whose Turn it extends.
 */
import { auditSchema } from '../../../contracts/graphql/audit.ts';
import { createKnowledgeBaseAccess, type KnowledgeBaseAccessReader } from '../../../command-side/workspaces/knowledge-base-access.ts';
import { mayDo } from '../../../contracts/workspaces.ts';
import { createAuditResolvers, type TeamOwners } from '../../../query-side/resolvers/audit.ts';
import { createTurnTrailResolvers } from '../../../query-side/resolvers/turn-trail.ts';
import type { Slice } from '../slice.ts';

const teamOwners = (access: KnowledgeBaseAccessReader): TeamOwners => ({
  ofKnowledgeBase: async (knowledgeBaseId, actor) => mayDo((await access.knowledgeBase(knowledgeBaseId, actor))?.role, 'readAuditTrail'),
  ofWorkspace: async (workspaceId, actor) => mayDo((await access.workspace(workspaceId, actor)).role, 'readAuditTrail'),
});

export const auditSlice: Slice = {
  name: 'audit',
  schema: auditSchema,
  create: (deps) => ({
    resolvers: [
      createAuditResolvers({ eventStore: deps.eventStore, owners: teamOwners(createKnowledgeBaseAccess(deps.eventStore)) }),
      createTurnTrailResolvers({ eventStore: deps.eventStore }),
    ],
  }),
};
