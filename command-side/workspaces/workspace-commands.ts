/** Command handlers of workspaces (contracts/workspaces.ts WorkspaceCommands), on the `workspace-{id}` stream. */
import { DomainError } from '../../contracts/errors.ts';
import type { EventMetadata, EventStore } from '../../contracts/eventstore.ts';
import { workspaceStream } from '../../contracts/streams.ts';
import type { AccessActor, WorkspaceCommands } from '../../contracts/workspaces.ts';
import { handleCommand } from '../decider.ts';
import { registeredUserByEmail } from './registered-user.ts';
import { workspaceDecider, workspaceView, type WorkspaceCommand } from './workspace-decider.ts';

export interface WorkspaceCommandDeps {
  store: EventStore;
  now: () => Date;
  newId: () => string;
}

export function createWorkspaceCommands(deps: WorkspaceCommandDeps): WorkspaceCommands {
  const { store } = deps;

  async function run(actor: AccessActor, command: WorkspaceCommand, metadata: EventMetadata) {
    const result = await handleCommand(store, workspaceStream(command.workspaceId), workspaceDecider, command, {
      metadata: { ...metadata, userId: actor.id },
    });
    return { workspace: workspaceView(result.state), position: result.position };
  }

  const now = () => deps.now().toISOString();

  return {
    create: (actor, name, metadata) =>
      run(actor, { type: 'CreateWorkspace', workspaceId: deps.newId(), name, by: actor, now: now() }, metadata),

    async addMember(actor, workspaceId, email, role, metadata) {
      const userId = await registeredUserByEmail(store, email);
      if (userId === undefined) throw new DomainError('NOT_FOUND', 'no registered user has this email address', { field: 'email' });
      return run(actor, { type: 'AddMember', workspaceId, userId, role, by: actor, now: now() }, metadata);
    },

    removeMember: (actor, workspaceId, userId, metadata) =>
      run(actor, { type: 'RemoveMember', workspaceId, userId, by: actor, now: now() }, metadata),

    openWallet: (actor, workspaceId, metadata) => run(actor, { type: 'OpenWallet', workspaceId, by: actor, now: now() }, metadata),
  };
}
