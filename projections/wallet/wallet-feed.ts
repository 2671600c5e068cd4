/**
 * walletUpdated: after the wallets projection commits a batch, every change in it is published, in log order, with
 * the balances after that event (the rows are visible by then, so a client that re-queries is never behind a push).
 * Emitted together: the bus keeps emission order, and the projector does not wait one round trip per event.
 */
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { parseWalletEvent } from '../../contracts/wallet.ts';
import type { AfterCommit } from '../runtime/index.ts';
import { WALLET_PROJECTOR_NAME } from './wallet-projector.ts';

export const walletUpdatedTopic = (userId: string) => `wallet-updated:${userId}`;

export interface WalletUpdate {
  userId: string;
  balance: number;
  reserved: number;
  available: number;
  position: string;
}

export function walletUpdatedPublisher(publish: (topic: string, payload: unknown) => Promise<void>): AfterCommit {
  return async (projector, events: readonly RecordedEvent[]) => {
    if (projector !== WALLET_PROJECTOR_NAME) return;
    const updates = events.map((recorded): WalletUpdate => {
      // Parsed by the projector in the commit that just ended: this finds that parse (eventParser).
      const { data } = parseWalletEvent(recorded);
      return {
        userId: data.userId,
        balance: data.balanceAfter,
        reserved: data.reservedAfter,
        available: data.balanceAfter - data.reservedAfter,
        position: recorded.position,
      };
    });
    await Promise.all(updates.map((update) => publish(walletUpdatedTopic(update.userId), update)));
  };
}
