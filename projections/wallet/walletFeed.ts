/**
 * walletUpdated: after the wallets projection commits a batch, each wallet it touched is published once, with the
 * balances of its newest event (the rows are visible by then, so a client that re-queries sees the same).
 */
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import type { WalletEvent } from '../../contracts/wallet.ts';
import type { AfterCommit } from '../runtime/index.ts';
import { WALLET_PROJECTOR_NAME } from './walletProjector.ts';

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
    const newest = new Map<string, WalletUpdate>();
    for (const recorded of events) {
      const { data } = recorded as unknown as WalletEvent;
      newest.set(data.userId, {
        userId: data.userId,
        balance: data.balanceAfter,
        reserved: data.reservedAfter,
        available: data.balanceAfter - data.reservedAfter,
        position: recorded.position,
      });
    }
    await Promise.all([...newest.values()].map((update) => publish(walletUpdatedTopic(update.userId), update)));
  };
}
