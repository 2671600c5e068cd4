/** Test and bench helpers: register a user the way IDENTITY records it, and read a wallet's stream back. */
import type { EventStore } from '../../contracts/eventstore.ts';
import { userStream, walletStream } from '../../contracts/streams.ts';
import { parseWalletEvent, type WalletEvent } from '../../contracts/wallet.ts';

export async function registerTestUser(store: EventStore, userId: string, role: 'admin' | 'member' = 'member') {
  return store.append(
    userStream(userId),
    [
      {
        type: 'UserRegistered',
        data: {
          userId,
          email: `${userId}@example.com`,
          displayName: null,
          role,
          passwordHash: '$argon2id$test',
          registeredAt: new Date().toISOString(),
        },
      },
    ],
    'no_stream',
  );
}

export async function readWalletEvents(store: EventStore, userId: string): Promise<WalletEvent[]> {
  const recorded = await store.readStream(walletStream(userId));
  return recorded.map(parseWalletEvent);
}
