/**
 * Funds every new user with SIGNUP_GRANT: reacts to UserRegistered, deposits with reference `signup-<userId>`.
 * Crash-safe without coordination: the deposit is idempotent per reference, and the reactor's checkpoint (its own
 * row in the read-model database) moves only after the deposits of a batch are in the log, so a crash replays at
 * most one batch and credits nothing twice. Two processes running it at once are harmless for the same reason.
 */
import type { EventStore } from '../../contracts/eventstore.ts';
import { parseUserEvent } from '../../contracts/identity.ts';
import { signupGrantReference } from '../../contracts/wallet.ts';
import type { Sql } from '../../contracts/sql.ts';
import { startReactor, type Reactor } from '../reactor.ts';
import type { WalletCommandHandler } from './handler.ts';

const REACTOR = 'wallet-signup-grant';

export interface SignupGrantReactorDeps {
  store: EventStore;
  wallets: WalletCommandHandler;
  /** Where the checkpoint lives (the read-model database). */
  sql: Sql;
  /** Micro-credits; 0 grants nothing. */
  grant: number;
  onError?: (error: unknown) => void;
}

/** Position of the last UserRegistered fully handled, and stop. */
export type SignupGrantReactor = Reactor;

export function startSignupGrantReactor(deps: SignupGrantReactorDeps): Promise<SignupGrantReactor> {
  return startReactor({
    name: REACTOR,
    store: deps.store,
    sql: deps.sql,
    filter: { eventTypes: ['UserRegistered'], streamPrefixes: ['user-'] },
    // A failure (database down) retries the same batch: skipping it would leave users without their grant.
    async handle(batch) {
      if (deps.grant <= 0) return;
      await Promise.all(
        batch.map((recorded) => {
          const { userId } = parseUserEvent(recorded).data;
          return deps.wallets.execute(
            { type: 'Deposit', data: { userId, amount: deps.grant, reference: signupGrantReference(userId) } },
            { causationId: recorded.id, userId },
          );
        }),
      );
    },
    ...(deps.onError && { onError: deps.onError }),
  });
}
