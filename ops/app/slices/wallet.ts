/**
 * Wallets: deposits, balances and the ledger, the walletUpdated feed, and the signup grant (ROLE=saga). It provides
 * its command handler: one per process, whose per-wallet queue and cache serve every caller (resolvers, the signup
 * grant, the billing saga).
 */
import { createWalletCommands } from '../../../command-side/wallet/commands.ts';
import { WalletCommandHandler } from '../../../command-side/wallet/handler.ts';
import { startSignupGrantReactor, type SignupGrantReactor } from '../../../command-side/wallet/signup-grant.ts';
import { walletSchema } from '../../../contracts/graphql/wallet.ts';
import { walletUpdatedPublisher } from '../../../projections/wallet/wallet-feed.ts';
import { walletProjector } from '../../../projections/wallet/wallet-projector.ts';
import { createWalletResolvers } from '../../../query-side/resolvers/wallet.ts';
import type { Slice } from '../slice.ts';

export interface WalletSliceProvides {
  wallets: WalletCommandHandler;
}

export const walletSlice: Slice<WalletSliceProvides> = {
  name: 'wallet',
  schema: walletSchema,
  projectors: () => [walletProjector],
  create(deps) {
    const wallets = new WalletCommandHandler(deps.eventStore);
    const grant = deps.config.SIGNUP_GRANT;
    const commands = createWalletCommands({ store: deps.eventStore, wallets, signupGrant: grant });
    let signupGrants: SignupGrantReactor | undefined;
    return {
      resolvers: [createWalletResolvers({ commands, readModels: deps.readModels })],
      feeds: [walletUpdatedPublisher(deps.bus.publish)],
      services: [
        {
          name: 'signup grant',
          roles: ['saga'],
          async start() {
            signupGrants = await startSignupGrantReactor({
              store: deps.eventStore,
              wallets,
              sql: deps.readModels,
              grant,
              onError: (error) => deps.logger.warn({ err: error }, 'signup grant failed; retrying'),
            });
          },
          stop: async () => signupGrants?.stop(),
        },
      ],
      provides: { wallets },
    };
  },
};
