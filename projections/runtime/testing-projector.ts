/**
 * A small projector for the runtime's own tests: account deposits on `account-*` streams. Every handled event is
 * also recorded in `handled` under a primary key, so handling one event twice fails loudly instead of passing
 * unnoticed; the balance update is deliberately not idempotent on its own.
 */
import type { EventStore, RecordedEvent } from '../../contracts/eventstore.ts';
import type { Position } from '../../contracts/position.ts';
import type { Migration, Projector } from './projector.ts';

export const ACCOUNT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    sql: `CREATE TABLE accounts (id text PRIMARY KEY, balance bigint NOT NULL, deposits integer NOT NULL);
          CREATE TABLE handled (position text PRIMARY KEY, event_id uuid NOT NULL)`,
  },
];

export interface AccountsProjectorOptions {
  name?: string;
  version?: number;
  migrations?: Migration[];
  /** Multiplies amounts: a "new handler" for version-change tests. */
  factor?: number;
  /** Throws (after writing a row) for matching events. */
  failOn?: (event: RecordedEvent) => boolean;
}

export function accountsProjector(options: AccountsProjectorOptions = {}): Projector {
  const factor = options.factor ?? 1;
  return {
    name: options.name ?? 'accounts',
    version: options.version ?? 1,
    migrations: options.migrations ?? ACCOUNT_MIGRATIONS,
    filter: { streamPrefixes: ['account-'] },
    async handle(events, tx) {
      for (const event of events) {
        await tx.query(`INSERT INTO handled (position, event_id) VALUES ($1, $2)`, [event.position, event.id]);
        if (options.failOn?.(event)) throw new Error(`cannot project ${event.type} of ${event.streamId}`);
        const amount = Number(event.data.amount) * factor;
        await tx.query(
          `INSERT INTO accounts (id, balance, deposits) VALUES ($1, $2, 1)
           ON CONFLICT (id) DO UPDATE SET balance = accounts.balance + $2, deposits = accounts.deposits + 1`,
          [event.streamId, amount],
        );
      }
    },
  };
}

/** Appends `count` deposits of 1..count over `accounts` streams; returns the last position. */
export async function appendDeposits(
  store: EventStore,
  count: number,
  options: { accounts?: number; poisonAt?: number } = {},
): Promise<Position> {
  let position = '0-0';
  for (let i = 1; i <= count; i++) {
    const stream = `account-${i % (options.accounts ?? 5)}`;
    const data = { amount: i, ...(i === options.poisonAt && { poison: true }) };
    ({ position } = await store.append(stream, [{ type: 'Deposited', data }], 'any'));
  }
  return position;
}

/** Sum of 1..n: what the balances of appendDeposits add up to. */
export const triangle = (n: number) => (n * (n + 1)) / 2;
