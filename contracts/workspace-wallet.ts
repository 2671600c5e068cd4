/**
 * A workspace's own wallet (`wallet-{workspaceId}`): its owners fund it from their own wallets, and from the first
 * funding on it pays for the questions asked of the workspace's knowledge bases (WorkspaceWalletOpened).
 */
import { z } from 'zod';
import type { EventMetadata } from './eventstore.ts';
import type { Position } from './position.ts';
import { positiveMicros, TRANSFER_REFERENCE_CHARS } from './wallet.ts';
import type { AccessActor, WorkspaceView } from './workspaces.ts';

export const fundWorkspaceSchema = z.object({
  workspaceId: z.string().trim().min(1).max(200),
  amount: positiveMicros,
  reference: z.string().trim().min(1, 'reference must not be empty').max(TRANSFER_REFERENCE_CHARS),
});
export type FundWorkspaceInput = z.infer<typeof fundWorkspaceSchema>;

export interface WorkspaceFunding {
  workspace: WorkspaceView;
  /** Where to wait for the read models (wallets, workspaces); empty when nothing was appended (a repeat). */
  positions: Position[];
}

export interface WorkspaceWalletCommands {
  /**
   * An OWNER of the workspace (or an admin) moves `amount` from their own wallet into the workspace's, and opens it
   * on the first funding. NOT_FOUND: no such workspace (or not a member); FORBIDDEN: not an owner;
   * INSUFFICIENT_FUNDS: more than the funder's available balance (nothing changes). Idempotent per reference:
   * the same reference again with the same amount and workspace changes nothing (and completes a funding that was
   * cut short); with other terms, CONFLICT.
   */
  fund(actor: AccessActor, input: FundWorkspaceInput, metadata: EventMetadata): Promise<WorkspaceFunding>;
}
