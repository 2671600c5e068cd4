/**
 * Funds every new user with SIGNUP_GRANT: reacts to UserRegistered, deposits with reference `signup-<userId>`.
 * Crash-safe without coordination: the deposit is idempotent per reference, and the reactor's checkpoint (its own
 * row in the read-model database) moves only after the deposits of a batch are in the log, so a crash replays at
 * most one batch and credits nothing twice. Two processes running it at once are harmless for the same reason.
 */
import type { EventStore, EventSubscription, RecordedEvent } from '../../contracts/eventstore.ts';
import type { UserRegistered } from '../../contracts/identity.ts';
import { START, type Position } from '../../contracts/position.ts';
import { signupGrantReference } from '../../contracts/wallet.ts';
import { ensureTable } from '../../ops/sql/ensure-table.ts';
import type { Sql } from '../../ops/sql/types.ts';
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

export interface SignupGrantReactor {
  /** Position of the last UserRegistered fully handled. */
  position(): Position;
  stop(): Promise<void>;
}

async function readCheckpoint(sql: Sql): Promise<Position> {
  await ensureTable(sql, `CREATE TABLE IF NOT EXISTS reactor_checkpoints (reactor text PRIMARY KEY, position text NOT NULL)`);
  const rows = await sql.query<{ position: string }>(`SELECT position FROM reactor_checkpoints WHERE reactor = $1`, [REACTOR]);
  return rows[0]?.position ?? START;
}

const writeCheckpoint = (sql: Sql, position: Position) =>
  sql.query(
    `INSERT INTO reactor_checkpoints (reactor, position) VALUES ($1, $2)
     ON CONFLICT (reactor) DO UPDATE SET position = EXCLUDED.position`,
    [REACTOR, position],
  );

export async function startSignupGrantReactor(deps: SignupGrantReactorDeps): Promise<SignupGrantReactor> {
  let position = await readCheckpoint(deps.sql);
  const subscription: EventSubscription = deps.store.subscribeToAll({
    after: position,
    filter: { eventTypes: ['UserRegistered'], streamPrefixes: ['user-'] },
  });
  let stopped = false;
  const grantAll = async (batch: readonly RecordedEvent[]) => {
    if (deps.grant <= 0) return;
    await Promise.all(
      batch.map((event) => {
        const { userId } = event.data as UserRegistered['data'];
        return deps.wallets.execute(
          { type: 'Deposit', data: { userId, amount: deps.grant, reference: signupGrantReference(userId) } },
          { causationId: event.id, userId },
        );
      }),
    );
  };
  const loop = (async () => {
    while (!stopped) {
      const batch = await subscription.nextBatch(100);
      if (batch.length === 0) break;
      // A failure (database down) retries the same batch: skipping it would leave users without their grant.
      for (let attempt = 0; !stopped; attempt++) {
        try {
          await grantAll(batch);
          position = batch[batch.length - 1]!.position;
          await writeCheckpoint(deps.sql, position);
          break;
        } catch (error) {
          deps.onError?.(error);
          await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)));
        }
      }
    }
  })();
  return {
    position: () => position,
    async stop() {
      stopped = true;
      await subscription.close();
      await loop;
    },
  };
}
