/** The audit trail: any stream's events as they are in the log (secrets redacted); no read model of its own. */
import { auditSchema } from '../../../contracts/graphql/audit.ts';
import { createAuditResolvers } from '../../../query-side/resolvers/audit.ts';
import type { Slice } from '../slice.ts';

export const auditSlice: Slice = {
  name: 'audit',
  schema: auditSchema,
  create: (deps) => ({ resolvers: [createAuditResolvers({ eventStore: deps.eventStore })] }),
};
