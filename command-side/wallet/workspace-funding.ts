/**
 * Funding a workspace's wallet: an owner's money moves from `wallet-{ownerId}` to `wallet-{workspaceId}`, and the
 * first funding opens the workspace's wallet (WorkspaceWalletOpened: from then on it pays for the questions asked
 * of the workspace's knowledge bases).
 *
 * Two wallets are two streams, and the store appends to one stream at a time, so a transfer is two appends:
 *   1. `FundsTransferredOut` on the funder's wallet: decided against the funder's available balance (never below
 *      zero: INSUFFICIENT_FUNDS, nothing appended), idempotent per reference;
 *   2. the deposit into the workspace's wallet with the reference transferDepositReference(funder, reference),
 *      idempotent per that reference; then the wallet is opened (a no-op once open).
 * Step 1 is the fact the rest follows from: step 2 is made only from a recorded transfer out, so no credit is ever
 * created without a debit. If the process dies between the two, the funding reactor (below; roles saga/all) finds
 * the transfer out in the log and makes the deposit; a retry of the same funding makes it too. The deposit is
 * idempotent per its derived reference, so however many times it is made (the caller, a retry, the reactor, two
 * processes at once), it is credited once: nothing is lost, nothing is credited twice.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { EventMetadata, EventStore } from '../../contracts/eventstore.ts';
import type { Position } from '../../contracts/position.ts';
import type { Sql } from '../../contracts/sql.ts';
import { parseWalletEvent, transferDepositReference, type FundsTransferredOut } from '../../contracts/wallet.ts';
import { fundWorkspaceSchema, type WorkspaceWalletCommands } from '../../contracts/workspace-wallet.ts';
import type { WorkspaceCommands, WorkspaceView } from '../../contracts/workspaces.ts';
import { startReactor, type Reactor } from '../reactor.ts';
import { assertMayInWorkspace, createKnowledgeBaseAccess } from '../workspaces/knowledge-base-access.ts';
import type { WalletCommandHandler } from './handler.ts';

export interface WorkspaceFundingDeps {
  store: EventStore;
  wallets: Pick<WalletCommandHandler, 'execute'>;
  workspaces: WorkspaceCommands;
}

/**
 * The second half of a transfer out to a workspace: the deposit, then the wallet opened. Idempotent. The owner
 * check was made before the transfer out was recorded; the completion acts on that authority (as an admin would), so
 * it cannot fail because the funder has since left the workspace: the money has left their wallet and must land.
 */
export async function completeTransfer(
  deps: WorkspaceFundingDeps,
  transfer: Pick<FundsTransferredOut['data'], 'userId' | 'toWalletId' | 'amount' | 'reference'>,
  metadata: EventMetadata,
): Promise<{ positions: Position[]; workspace: WorkspaceView | undefined }> {
  const { userId: from, toWalletId, amount, reference } = transfer;
  const deposited = await deps.wallets.execute(
    { type: 'Deposit', data: { userId: toWalletId, amount, reference: transferDepositReference(from, reference) } },
    metadata,
  );
  const positions = [deposited.position];
  let workspace: WorkspaceView | undefined;
  try {
    const opened = await deps.workspaces.openWallet({ id: from, role: 'admin' }, toWalletId, metadata);
    positions.push(opened.position);
    workspace = opened.workspace;
  } catch (error) {
    // A transfer to a wallet that is not a workspace's (none is made today) has nothing to open.
    if (!(error instanceof DomainError && error.code === 'NOT_FOUND')) throw error;
  }
  return { positions: positions.filter((position): position is Position => position !== undefined), workspace };
}

export function createWorkspaceWalletCommands(deps: WorkspaceFundingDeps): WorkspaceWalletCommands {
  const access = createKnowledgeBaseAccess(deps.store);
  return {
    async fund(actor, input, metadata) {
      const parsed = fundWorkspaceSchema.safeParse(input);
      if (!parsed.success) throw new DomainError('BAD_USER_INPUT', parsed.error.issues.map((issue) => issue.message).join('; '));
      const { workspaceId, amount, reference } = parsed.data;
      await assertMayInWorkspace(access, workspaceId, actor, 'fundWallet');
      const meta = { ...metadata, userId: actor.id };
      const out = await deps.wallets.execute({ type: 'TransferOut', data: { userId: actor.id, amount, reference, toWalletId: workspaceId } }, meta);
      const completed = await completeTransfer(deps, { userId: actor.id, amount, reference, toWalletId: workspaceId }, meta);
      if (!completed.workspace) throw new DomainError('NOT_FOUND', 'workspace not found', { workspaceId });
      const positions = [out.position, ...completed.positions].filter((position): position is Position => position !== undefined);
      return { workspace: completed.workspace, positions };
    },
  };
}

const REACTOR = 'workspace-funding';

export interface WorkspaceFundingReactorDeps extends WorkspaceFundingDeps {
  /** Where the checkpoint lives (the read-model database). */
  sql: Sql;
  onError?: (error: unknown) => void;
}

/**
 * Completes every transfer out whose deposit is missing (the process died between the two appends): follows
 * `FundsTransferredOut` and makes the deposit (idempotent), then moves its checkpoint. A failure retries the batch.
 */
export function startWorkspaceFundingReactor(deps: WorkspaceFundingReactorDeps): Promise<Reactor> {
  return startReactor({
    name: REACTOR,
    store: deps.store,
    sql: deps.sql,
    filter: { eventTypes: ['FundsTransferredOut'], streamPrefixes: ['wallet-'] },
    async handle(batch) {
      for (const recorded of batch) {
        const event = parseWalletEvent(recorded);
        if (event.type !== 'FundsTransferredOut') continue;
        await completeTransfer(deps, event.data, { causationId: recorded.id, userId: event.data.userId });
      }
    },
    ...(deps.onError && { onError: deps.onError }),
  });
}
