/**
 * The audit trail: any stream's events as they are in the log (secrets redacted), and a turn's causation chain
 * (Turn.trail); no read model of its own. Listed after chat, whose Turn it extends.
 */
import { auditSchema } from '../../../contracts/graphql/audit.ts';
import { createAuditResolvers } from '../../../query-side/resolvers/audit.ts';
import { createTurnTrailResolvers } from '../../../query-side/resolvers/turn-trail.ts';
import type { Slice } from '../slice.ts';

export const auditSlice: Slice = {
  name: 'audit',
  schema: auditSchema,
  create: (deps) => ({
    resolvers: [createAuditResolvers({ eventStore: deps.eventStore }), createTurnTrailResolvers({ eventStore: deps.eventStore })],
  }),
};
