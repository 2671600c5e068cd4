/**
 * Workspace wallets: owners fund their workspace's wallet from their own (fundWorkspace), Workspace.wallet, and the
 * funding reactor (ROLE=saga) that completes a transfer cut short between its two appends. Uses the wallet slice's
 * command handler (one per process) and the workspaces slice's commands.
 */
import {
  createWorkspaceWalletCommands,
  startWorkspaceFundingReactor,
} from '../../../command-side/wallet/workspace-funding.ts';
import type { Reactor } from '../../../command-side/reactor.ts';
import { workspaceWalletSchema } from '../../../contracts/graphql/workspace-wallet.ts';
import { createWorkspaceWalletResolvers } from '../../../query-side/resolvers/workspace-wallet.ts';
import type { Slice } from '../slice.ts';
import { walletSlice } from './wallet.ts';
import { workspacesSlice } from './workspaces.ts';

export const workspaceWalletSlice: Slice = {
  name: 'workspace wallet',
  schema: workspaceWalletSchema,
  create(deps) {
    const { wallets } = deps.use(walletSlice);
    const { commands: workspaces } = deps.use(workspacesSlice);
    const funding = { store: deps.eventStore, wallets, workspaces };
    let reactor: Reactor | undefined;
    return {
      resolvers: [createWorkspaceWalletResolvers({ commands: createWorkspaceWalletCommands(funding), readModels: deps.readModels })],
      services: [
        {
          name: 'workspace funding',
          roles: ['saga'],
          async start() {
            reactor = await startWorkspaceFundingReactor({
              ...funding,
              sql: deps.readModels,
              onError: (error) => deps.logger.warn({ err: error }, 'completing a workspace funding failed; retrying'),
            });
          },
          stop: async () => reactor?.stop(),
        },
      ],
    };
  },
};
