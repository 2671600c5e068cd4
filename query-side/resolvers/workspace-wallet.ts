/**
 * A workspace's wallet: fundWorkspace (owners move funds from their wallet into the workspace's; the rules are the
 * command side's, against the log) and Workspace.wallet (owners and admins, once opened). The answer to a funding
 * waits until the wallets and workspaces read models show it.
 */
import { comparePositions, type Position } from '../../contracts/position.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { fundWorkspaceSchema, type WorkspaceWalletCommands } from '../../contracts/workspace-wallet.ts';
import { findWallet, type WalletRow } from '../../projections/wallet/wallet-read-model.ts';
import { WALLET_PROJECTOR_NAME } from '../../projections/wallet/wallet-projector.ts';
import { WORKSPACES_PROJECTOR } from '../../projections/workspaces/workspaces-projector.ts';
import { findWorkspace, memberRole, type WorkspaceRow } from '../../projections/workspaces/workspaces-read-model.ts';
import type { AuthUser } from '../auth/tokens.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { commandMetadata, parseInput } from './identity.ts';

export interface WorkspaceWalletResolverDeps {
  commands: WorkspaceWalletCommands;
  /** The read-model database (wallets, workspaces, workspace_members). */
  readModels: SqlExecutor;
}

/** A Workspace as the workspaces resolvers hand it on: its row and who is looking. */
type Shown = WorkspaceRow & { viewer: AuthUser };

const newest = (positions: readonly Position[]): Position | undefined =>
  positions.reduce<Position | undefined>((max, position) => (max === undefined || comparePositions(position, max) > 0 ? position : max), undefined);

export function createWorkspaceWalletResolvers(deps: WorkspaceWalletResolverDeps): ResolverMap {
  const { commands, readModels } = deps;
  return {
    Mutation: {
      async fundWorkspace(_root: unknown, args: { workspaceId: string; amount: number; reference: string }, ctx: AppContext): Promise<Shown> {
        const viewer = ctx.requireUser();
        const input = parseInput(fundWorkspaceSchema, args);
        const { workspace, positions } = await commands.fund(viewer, input, commandMetadata(ctx));
        if (await ctx.waitUntilVisible(newest(positions), [WALLET_PROJECTOR_NAME, WORKSPACES_PROJECTOR])) {
          const row = await findWorkspace(readModels, workspace.id);
          if (row) return { ...row, viewer };
        }
        const { id, name, ownerId, walletOpen, createdAt } = workspace;
        return { id, name, ownerId, walletOpen, createdAt, viewer };
      },
    },
    Workspace: {
      async wallet(workspace: Shown): Promise<WalletRow | { userId: string; balance: number; reserved: number; available: number } | null> {
        if (!workspace.walletOpen) return null;
        const { viewer } = workspace;
        if (viewer.role !== 'admin' && (await memberRole(readModels, workspace.id, viewer.id)) !== 'owner') return null;
        return (await findWallet(readModels, workspace.id)) ?? { userId: workspace.id, balance: 0, reserved: 0, available: 0 };
      },
    },
  };
}
