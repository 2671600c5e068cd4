/** Workspaces (teams): their commands, the workspaces read model and the GraphQL resolvers. */
import { randomUUID } from 'node:crypto';
import { createWorkspaceCommands } from '../../../command-side/workspaces/workspace-commands.ts';
import { workspacesSchema } from '../../../contracts/graphql/workspaces.ts';
import { workspacesProjector } from '../../../projections/workspaces/workspaces-projector.ts';
import { createWorkspaceResolvers } from '../../../query-side/resolvers/workspaces.ts';
import type { WorkspaceCommands } from '../../../contracts/workspaces.ts';
import type { Slice } from '../slice.ts';

export const workspacesSlice: Slice<{ commands: WorkspaceCommands }> = {
  name: 'workspaces',
  schema: workspacesSchema,
  projectors: () => [workspacesProjector],
  create(deps) {
    const commands = createWorkspaceCommands({ store: deps.eventStore, now: () => new Date(), newId: randomUUID });
    return { resolvers: [createWorkspaceResolvers({ commands, readModels: deps.readModels })], provides: { commands } };
  },
};
