/** The wallet port of the query side (contracts/wallet.ts WalletCommands), over one WalletCommandHandler. */
import type { EventStore } from '../../contracts/eventstore.ts';
import { signupGrantReference, type WalletBalance, type WalletCommands } from '../../contracts/wallet.ts';
import type { WalletCommandHandler } from './handler.ts';
import { available, type WalletState } from './state.ts';
import { walletAt } from './wallet-at.ts';

const balanceOf = (userId: string, state: WalletState): WalletBalance => ({
  userId,
  balance: state.balance,
  reserved: state.reserved,
  available: available(state),
});

export function createWalletCommands(deps: {
  store: EventStore;
  wallets: WalletCommandHandler;
  signupGrant: number;
}): WalletCommands {
  return {
    async deposit(input, metadata) {
      const result = await deps.wallets.execute({ type: 'Deposit', data: input }, metadata);
      return { wallet: balanceOf(input.userId, result.state), position: result.position };
    },
    async ensureSignupGrant(userId) {
      if (deps.signupGrant <= 0) return { wallet: { userId, balance: 0, reserved: 0, available: 0 }, position: undefined };
      const result = await deps.wallets.execute({
        type: 'Deposit',
        data: { userId, amount: deps.signupGrant, reference: signupGrantReference(userId) },
      });
      return { wallet: balanceOf(userId, result.state), position: result.position };
    },
    async walletAt(userId, bound) {
      const snapshot = await walletAt(deps.store, userId, bound);
      return { wallet: balanceOf(userId, snapshot.state), position: snapshot.position };
    },
  };
}
