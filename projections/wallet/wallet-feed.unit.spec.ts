import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { walletUpdatedPublisher, walletUpdatedTopic } from './wallet-feed.ts';

const recorded = (userId: string, revision: number, balanceAfter: number, reservedAfter: number): RecordedEvent => ({
  id: `00000000-0000-4000-8000-00000000000${revision}`,
  type: 'FundsReserved',
  data: { userId, reservationId: `r${revision}`, amount: 1, turnId: null, balanceAfter, reservedAfter },
  metadata: {},
  streamId: `wallet-${userId}`,
  revision,
  position: `7-${revision + 1}`,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('walletUpdated publisher', () => {
  it('publishes every change of the wallets projection in log order, to its owner only', async () => {
    const published: Array<[string, unknown]> = [];
    const hook = walletUpdatedPublisher(async (topic, payload) => void published.push([topic, payload]));
    await hook('wallets', [recorded('a', 0, 100, 10), recorded('b', 0, 5, 0), recorded('a', 1, 100, 30)]);
    expect(published).toEqual([
      [walletUpdatedTopic('a'), { userId: 'a', balance: 100, reserved: 10, available: 90, position: '7-1' }],
      [walletUpdatedTopic('b'), { userId: 'b', balance: 5, reserved: 0, available: 5, position: '7-1' }],
      [walletUpdatedTopic('a'), { userId: 'a', balance: 100, reserved: 30, available: 70, position: '7-2' }],
    ]);
  });

  it('ignores other projectors', async () => {
    const published: unknown[] = [];
    await walletUpdatedPublisher(async (...args) => void published.push(args))('users', [recorded('a', 0, 1, 0)]);
    expect(published).toEqual([]);
  });
});
