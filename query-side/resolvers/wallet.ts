/**
 * Wallet resolvers: deposit (admin), wallet(userId) (own; admins any), walletAt (audit replay from the log),
 * Wallet.ledger (cursor = log position), and the walletUpdated subscription (the caller's own wallet).
 */
import { DomainError } from '../../contracts/errors.ts';
import type { Position } from '../../contracts/position.ts';
import { depositSchema, TRANSFER_REFERENCE_PREFIX, type WalletBalance, type WalletCommands } from '../../contracts/wallet.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { findUserById } from '../../projections/identity/users-read-model.ts';
import { walletUpdatedTopic, type WalletUpdate } from '../../projections/wallet/wallet-feed.ts';
import { findWallet, listLedger, type LedgerPage } from '../../projections/wallet/wallet-read-model.ts';
import { WALLET_PROJECTOR_NAME } from '../../projections/wallet/wallet-projector.ts';
import type { AuthUser } from '../auth/tokens.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { commandMetadata, parseInput } from './identity.ts';

export interface WalletResolverDeps {
  commands: WalletCommands;
  /** The read-model database (wallets, wallet_ledger, users). */
  readModels: SqlExecutor;
}

/**
 * A Wallet as GraphQL resolves it (a user's, a workspace's, a walletUpdated push). Its ledger ends at `asOf` (an
 * audit replay's moment) or else at `position`, the balance's own (its newest line's, when it comes from the read
 * model): the ledger is read by a second statement, and lines a projection committed in between would not add up to
 * the balance shown with them.
 */
interface WalletParent extends WalletBalance {
  asOf?: Position | null;
  position?: Position;
}

export function createWalletResolvers(deps: WalletResolverDeps): ResolverMap {
  const { readModels, commands } = deps;

  async function targetOf(ctx: AppContext, userId: string | null | undefined): Promise<string> {
    const caller: AuthUser = ctx.requireUser();
    const target = userId ?? caller.id;
    if (target !== caller.id && caller.role !== 'admin') {
      throw new DomainError('FORBIDDEN', 'only admins may see the wallet of another user');
    }
    if (target !== caller.id && !(await findUserById(readModels, target))) {
      throw new DomainError('NOT_FOUND', 'no such user', { userId: target });
    }
    return target;
  }

  async function currentWallet(ctx: AppContext, userId: string): Promise<WalletParent> {
    const row = await findWallet(readModels, userId);
    if (row) return row;
    // No wallet row yet: the signup grant may still be on its way from the reactor; make sure of it now.
    const { wallet, position } = await commands.ensureSignupGrant(userId);
    if (!(await ctx.waitUntilVisible(position, [WALLET_PROJECTOR_NAME]))) return wallet;
    return (await findWallet(readModels, userId)) ?? wallet;
  }

  return {
    Mutation: {
      async deposit(_root: unknown, args: { userId: string; amount: number; reference: string }, ctx: AppContext) {
        ctx.requireAdmin();
        const input = parseInput(depositSchema, args);
        // Reserved for the deposits of workspace fundings: an admin's deposit taking one would make that funding CONFLICT.
        if (input.reference.startsWith(TRANSFER_REFERENCE_PREFIX)) {
          throw new DomainError('BAD_USER_INPUT', `references starting with "${TRANSFER_REFERENCE_PREFIX}" are kept for workspace fundings`, { field: 'reference' });
        }
        const { wallet, position } = await commands.deposit(input, commandMetadata(ctx));
        // The read-model row would not have the deposit yet: the decided balance is the answer then.
        if (!(await ctx.waitUntilVisible(position, [WALLET_PROJECTOR_NAME]))) return wallet;
        return (await findWallet(readModels, input.userId)) ?? wallet;
      },
    },
    Query: {
      async wallet(_root: unknown, args: { userId?: string | null }, ctx: AppContext) {
        return currentWallet(ctx, await targetOf(ctx, args.userId));
      },
      async walletAt(_root: unknown, args: { userId: string; position?: string | null; at?: string | null }, ctx: AppContext) {
        const userId = await targetOf(ctx, args.userId);
        const { wallet, position } = await commands.walletAt(userId, { position: args.position, at: args.at });
        return { ...wallet, asOf: position ?? '0-0' } satisfies WalletParent;
      },
    },
    Wallet: {
      async ledger(parent: WalletParent, args: Omit<LedgerPage, 'until'>) {
        const { limit, after, before, newestFirst } = args;
        return listLedger(readModels, parent.userId, { limit, after, before, newestFirst, until: parent.asOf ?? parent.position });
      },
    },
    Subscription: {
      walletUpdated: {
        subscribe(_root: unknown, _args: unknown, ctx: AppContext) {
          const user = ctx.requireUser();
          return ctx.pubsub.subscribe(walletUpdatedTopic(user.id));
        },
        resolve: (update: WalletUpdate): WalletParent => update,
      },
    },
  };
}
