/**
 * A workspace's wallet: fundWorkspace (owners move funds from their wallet into the workspace's; the rules are the
 * command side's, against the log) and Workspace.wallet (owners and admins, once opened). The answer to a funding
 * waits until the wallets and workspaces read models show it.
 */
import { maxPosition, type Position } from '../../contracts/position.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { fundWorkspaceSchema, type WorkspaceWalletCommands } from '../../contracts/workspace-wallet.ts';
import { findWallet, type WalletRow } from '../../projections/wallet/wallet-read-model.ts';
import { WALLET_PROJECTOR_NAME } from '../../projections/wallet/wallet-projector.ts';
import { WORKSPACES_PROJECTOR } from '../../projections/workspaces/workspaces-projector.ts';
import { memberRole } from '../../projections/workspaces/workspaces-read-model.ts';
import { mayDo, roleInWorkspace } from '../../contracts/workspaces.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { commandMetadata, parseInput } from './identity.ts';
import { shownAfterChange, type ShownWorkspace } from './workspaces.ts';

export interface WorkspaceWalletResolverDeps {
  commands: WorkspaceWalletCommands;
  /** The read-model database (wallets, workspaces, workspace_members). */
  readModels: SqlExecutor;
}

const newest = (positions: readonly Position[]): Position | undefined => (positions.length > 0 ? positions.reduce(maxPosition) : undefined);

export function createWorkspaceWalletResolvers(deps: WorkspaceWalletResolverDeps): ResolverMap {
  const { commands, readModels } = deps;
  return {
    Mutation: {
      async fundWorkspace(_root: unknown, args: { workspaceId: string; amount: number; reference: string }, ctx: AppContext) {
        const input = parseInput(fundWorkspaceSchema, args);
        const { workspace, positions } = await commands.fund(ctx.requireUser(), input, commandMetadata(ctx));
        return shownAfterChange(ctx, readModels, { workspace, position: newest(positions) }, [WALLET_PROJECTOR_NAME, WORKSPACES_PROJECTOR]);
      },
    },
    Workspace: {
      async wallet(workspace: ShownWorkspace): Promise<WalletRow | { userId: string; balance: number; reserved: number; available: number } | null> {
        if (!workspace.walletOpen) return null;
        const { viewer } = workspace;
        // Who may fund the wallet reads it.
        if (!mayDo(roleInWorkspace(viewer, await memberRole(readModels, workspace.id, viewer.id)), 'fundWallet')) return null;
        return (await findWallet(readModels, workspace.id)) ?? { userId: workspace.id, balance: 0, reserved: 0, available: 0 };
      },
    },
  };
}
