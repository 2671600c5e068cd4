/** Knowledge bases: creating them (within the per-user quota) and the knowledge-bases read model. */
import { randomUUID } from 'node:crypto';
import { createKnowledgeBaseCommands } from '../../../command-side/knowledge-base/knowledge-base-commands.ts';
import { knowledgeBasesSchema } from '../../../contracts/graphql/knowledge-bases.ts';
import { knowledgeBasesProjector } from '../../../projections/knowledge-bases/knowledge-bases-projector.ts';
import { createKnowledgeBaseResolvers } from '../../../query-side/resolvers/knowledge-bases.ts';
import { quotasOf } from '../settings.ts';
import type { Slice } from '../slice.ts';

export const knowledgeBasesSlice: Slice = {
  name: 'knowledge-bases',
  schema: knowledgeBasesSchema,
  projectors: () => [knowledgeBasesProjector],
  create(deps) {
    const commands = createKnowledgeBaseCommands({ now: () => new Date(), newId: randomUUID, store: deps.eventStore });
    const maxKnowledgeBases = quotasOf(deps.config).knowledgeBases;
    return { resolvers: [createKnowledgeBaseResolvers({ commands, readModels: deps.readModels, maxKnowledgeBases })] };
  },
};
