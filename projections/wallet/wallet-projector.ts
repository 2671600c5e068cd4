/**
 * Wallets and their ledger lines. Every wallet event carries the balance and reserved amount after it, so rows are
 * plain upserts: a replayed event writes the same row (ledger lines are keyed by stream revision, the wallet row
 * only moves forward), and a rebuild from the log equals the live tables. Set-based SQL per batch, because a busy
 * wallet produces thousands of events per second.
 */
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { parsePosition } from '../../contracts/position.ts';
import { LEDGER_KIND_OF, WALLET_EVENT_TYPES, parseWalletEvent } from '../../contracts/wallet.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import type { Projector } from '../runtime/projector.ts';

const MIGRATION_1 = `
CREATE TABLE wallets (
  user_id text PRIMARY KEY,
  balance bigint NOT NULL,
  reserved bigint NOT NULL,
  available bigint NOT NULL,
  revision integer NOT NULL,
  position text NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE TABLE wallet_ledger (
  user_id text NOT NULL,
  revision integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('deposit', 'reserve', 'capture', 'release', 'decline')),
  amount bigint NOT NULL,
  balance_after bigint NOT NULL,
  reserved_after bigint NOT NULL,
  reference text,
  reservation_id text,
  turn_id text,
  released bigint,
  reason text,
  model text,
  prompt_tokens integer,
  completion_tokens integer,
  prompt_price_per_1k bigint,
  completion_price_per_1k bigint,
  position text NOT NULL,
  position_commit bigint NOT NULL,
  position_prepare bigint NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (user_id, revision)
);
CREATE INDEX wallet_ledger_by_position ON wallet_ledger (user_id, position_commit, position_prepare);`;

/**
 * The API key a turn's question came through (its wallet events' metadata.apiKeyId): a key's charges per day are
 * read from here. No event written before keys existed has it, so the rows they give are unchanged: a migration,
 * not a new version (no rebuild).
 */
const MIGRATION_2 = `
ALTER TABLE wallet_ledger ADD COLUMN api_key_id text;
CREATE INDEX wallet_ledger_by_api_key ON wallet_ledger (api_key_id, at) WHERE api_key_id IS NOT NULL;`;

/**
 * Who asked the question a turn's line is about (askedBy: the asker, also when a workspace's wallet pays), and
 * transfers out (a workspace's funding). Old turn lines get their asker too, so the version went to 2: rebuilt.
 */
const MIGRATION_3 = `
ALTER TABLE wallet_ledger ADD COLUMN asked_by text;
ALTER TABLE wallet_ledger DROP CONSTRAINT wallet_ledger_kind_check;
ALTER TABLE wallet_ledger ADD CONSTRAINT wallet_ledger_kind_check
  CHECK (kind IN ('deposit', 'reserve', 'capture', 'release', 'decline', 'transfer'));`;

interface LedgerRow {
  user_id: string;
  revision: number;
  kind: string;
  amount: number;
  balance_after: number;
  reserved_after: number;
  reference: string | null;
  reservation_id: string | null;
  turn_id: string | null;
  released: number | null;
  reason: string | null;
  model: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  prompt_price_per_1k: number | null;
  completion_price_per_1k: number | null;
  api_key_id: string | null;
  asked_by: string | null;
  position: string;
  position_commit: string;
  position_prepare: string;
  at: string;
}

function ledgerRow(recorded: RecordedEvent): LedgerRow {
  const event = parseWalletEvent(recorded);
  const { commit, prepare } = parsePosition(recorded.position);
  const row: LedgerRow = {
    user_id: event.data.userId,
    revision: recorded.revision,
    kind: LEDGER_KIND_OF[event.type],
    amount: event.data.amount,
    balance_after: event.data.balanceAfter,
    reserved_after: event.data.reservedAfter,
    reference: null,
    reservation_id: null,
    turn_id: null,
    released: null,
    reason: null,
    model: null,
    prompt_tokens: null,
    completion_tokens: null,
    prompt_price_per_1k: null,
    completion_price_per_1k: null,
    api_key_id: typeof recorded.metadata.apiKeyId === 'string' ? recorded.metadata.apiKeyId : null,
    asked_by: null,
    position: recorded.position,
    position_commit: commit.toString(),
    position_prepare: prepare.toString(),
    at: recorded.createdAt,
  };
  // The saga sends a turn's wallet commands with the asker as metadata.userId (before workspace wallets too, when
  // the asker's own wallet always paid: the wallet's holder is the fallback for lines without it).
  const askedBy = (turnId: string | null) =>
    turnId === null ? null : typeof recorded.metadata.userId === 'string' ? recorded.metadata.userId : event.data.userId;
  switch (event.type) {
    case 'FundsDeposited':
      return { ...row, reference: event.data.reference };
    case 'FundsTransferredOut':
      return { ...row, reference: event.data.reference };
    case 'FundsReserved':
    case 'ReservationDeclined':
      return { ...row, reservation_id: event.data.reservationId, turn_id: event.data.turnId, asked_by: askedBy(event.data.turnId) };
    case 'FundsReleased':
      return {
        ...row,
        reservation_id: event.data.reservationId,
        turn_id: event.data.turnId,
        reason: event.data.reason,
        asked_by: askedBy(event.data.turnId),
      };
    case 'FundsCaptured':
      return {
        ...row,
        asked_by: askedBy(event.data.turnId),
        reservation_id: event.data.reservationId,
        turn_id: event.data.turnId,
        released: event.data.released,
        model: event.data.model,
        prompt_tokens: event.data.promptTokens,
        completion_tokens: event.data.completionTokens,
        prompt_price_per_1k: event.data.price.promptPer1k,
        completion_price_per_1k: event.data.price.completionPer1k,
      };
    default: {
      const unhandled: never = event;
      throw new Error(`unknown wallet event ${JSON.stringify(unhandled)}`);
    }
  }
}

const LEDGER_COLUMNS: ReadonlyArray<[keyof LedgerRow, string]> = [
  ['user_id', 'text'],
  ['revision', 'int4'],
  ['kind', 'text'],
  ['amount', 'int8'],
  ['balance_after', 'int8'],
  ['reserved_after', 'int8'],
  ['reference', 'text'],
  ['reservation_id', 'text'],
  ['turn_id', 'text'],
  ['released', 'int8'],
  ['reason', 'text'],
  ['model', 'text'],
  ['prompt_tokens', 'int4'],
  ['completion_tokens', 'int4'],
  ['prompt_price_per_1k', 'int8'],
  ['completion_price_per_1k', 'int8'],
  ['api_key_id', 'text'],
  ['asked_by', 'text'],
  ['position', 'text'],
  ['position_commit', 'int8'],
  ['position_prepare', 'int8'],
  ['at', 'timestamptz'],
];

async function insertLedger(tx: SqlExecutor, rows: readonly LedgerRow[]): Promise<void> {
  const names = LEDGER_COLUMNS.map(([name]) => name).join(', ');
  const unnest = LEDGER_COLUMNS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ');
  await tx.query(
    `INSERT INTO wallet_ledger (${names}) SELECT * FROM unnest(${unnest})
     ON CONFLICT (user_id, revision) DO NOTHING`,
    LEDGER_COLUMNS.map(([name]) => rows.map((row) => row[name])),
  );
}

/** The newest line per wallet in the batch becomes the wallet row, unless the row is already further on. */
async function upsertWallets(tx: SqlExecutor, rows: readonly LedgerRow[]): Promise<void> {
  const newest = new Map<string, LedgerRow>();
  for (const row of rows) if ((newest.get(row.user_id)?.revision ?? -1) < row.revision) newest.set(row.user_id, row);
  const latest = [...newest.values()];
  await tx.query(
    `INSERT INTO wallets (user_id, balance, reserved, available, revision, position, updated_at)
     SELECT u, b, r, b - r, v, p, t FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int4[], $5::text[], $6::timestamptz[])
       AS x(u, b, r, v, p, t)
     ON CONFLICT (user_id) DO UPDATE SET balance = EXCLUDED.balance, reserved = EXCLUDED.reserved,
       available = EXCLUDED.available, revision = EXCLUDED.revision, position = EXCLUDED.position,
       updated_at = EXCLUDED.updated_at
     WHERE wallets.revision < EXCLUDED.revision`,
    [
      latest.map((row) => row.user_id),
      latest.map((row) => row.balance_after),
      latest.map((row) => row.reserved_after),
      latest.map((row) => row.revision),
      latest.map((row) => row.position),
      latest.map((row) => row.at),
    ],
  );
}

export const WALLET_PROJECTOR_NAME = 'wallets';

export const walletProjector: Projector = {
  name: WALLET_PROJECTOR_NAME,
  version: 2,
  migrations: [
    { version: 1, sql: MIGRATION_1 },
    { version: 2, sql: MIGRATION_2 },
    { version: 3, sql: MIGRATION_3 },
  ],
  filter: { eventTypes: WALLET_EVENT_TYPES, streamPrefixes: ['wallet-'] },
  async handle(events, tx) {
    const rows = events.map(ledgerRow);
    await insertLedger(tx, rows);
    await upsertWallets(tx, rows);
  },
};
