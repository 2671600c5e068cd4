/** Queries over the wallets projection (the query side reads through these, never the tables directly). */
import { DomainError } from '../../contracts/errors.ts';
import { comparePositions, isPosition, parsePosition } from '../../contracts/position.ts';
import type { LedgerKind } from '../../contracts/wallet.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';

export interface WalletRow {
  userId: string;
  balance: number;
  reserved: number;
  available: number;
  revision: number;
  position: string;
  updatedAt: string;
}

export interface LedgerLine {
  kind: LedgerKind;
  amount: number;
  balanceAfter: number;
  reservedAfter: number;
  reference: string | null;
  reservationId: string | null;
  turnId: string | null;
  released: number | null;
  reason: string | null;
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  promptPricePer1k: number | null;
  completionPricePer1k: number | null;
  /** The API key the turn's question came through; null for questions asked in the app, and other lines. */
  apiKeyId: string | null;
  /** The asker of the turn a line is about (also when a workspace's wallet pays); null for deposits and transfers. */
  askedBy: string | null;
  revision: number;
  position: string;
  at: string;
}

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString());

export async function findWallet(sql: SqlExecutor, userId: string): Promise<WalletRow | undefined> {
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT user_id, balance, reserved, available, revision, position, updated_at FROM wallets WHERE user_id = $1`,
    [userId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    userId: String(row.user_id),
    balance: Number(row.balance),
    reserved: Number(row.reserved),
    available: Number(row.available),
    revision: Number(row.revision),
    position: String(row.position),
    updatedAt: iso(row.updated_at),
  };
}

export const MAX_LEDGER_PAGE = 500;

export interface LedgerPage {
  limit?: number | null;
  /** Lines after this position (oldest first: the last line of the previous page). */
  after?: string | null;
  /** Lines before this position (newest first: the last line of the previous page). */
  before?: string | null;
  newestFirst?: boolean | null;
  /** An audit replay's ledger ends at the position its wallet was folded to. */
  until?: string | null;
}

const positionArgument = (name: string, value: string | null | undefined) => {
  if (value && !isPosition(value)) throw new DomainError('BAD_USER_INPUT', `${name} ${JSON.stringify(value)} is not a log position`);
  return value ? parsePosition(value) : undefined;
};

/** A page of a user's ledger between two positions, in log order or newest first. */
export async function listLedger(sql: SqlExecutor, userId: string, page: LedgerPage = {}): Promise<LedgerLine[]> {
  const limit = page.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LEDGER_PAGE) {
    throw new DomainError('BAD_USER_INPUT', `limit must be between 1 and ${MAX_LEDGER_PAGE}`);
  }
  const after = positionArgument('after', page.after) ?? { commit: -1n, prepare: -1n };
  const before = positionArgument('before', page.before);
  const until = positionArgument('until', page.until);
  // The upper bound: `before` (exclusive) or `until` (inclusive), whichever comes first; else none.
  const beforeFirst = !!page.before && (!page.until || comparePositions(page.before, page.until) <= 0);
  const upper = (beforeFirst ? before : until) ?? { commit: BigInt(Number.MAX_SAFE_INTEGER), prepare: 0n };
  const direction = page.newestFirst ? 'DESC' : 'ASC';
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT * FROM wallet_ledger
      WHERE user_id = $1 AND (position_commit, position_prepare) > ($2::text::int8, $3::text::int8)
        AND (position_commit, position_prepare) ${beforeFirst ? '<' : '<='} ($5::text::int8, $6::text::int8)
      ORDER BY position_commit ${direction}, position_prepare ${direction} LIMIT $4`,
    [userId, after.commit.toString(), after.prepare.toString(), limit, upper.commit.toString(), upper.prepare.toString()],
  );
  const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  const str = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return rows.map((row) => ({
    kind: row.kind as LedgerKind,
    amount: Number(row.amount),
    balanceAfter: Number(row.balance_after),
    reservedAfter: Number(row.reserved_after),
    reference: str(row.reference),
    reservationId: str(row.reservation_id),
    turnId: str(row.turn_id),
    released: num(row.released),
    reason: str(row.reason),
    model: str(row.model),
    promptTokens: num(row.prompt_tokens),
    completionTokens: num(row.completion_tokens),
    promptPricePer1k: num(row.prompt_price_per_1k),
    completionPricePer1k: num(row.completion_price_per_1k),
    apiKeyId: str(row.api_key_id),
    askedBy: str(row.asked_by),
    revision: Number(row.revision),
    position: String(row.position),
    at: iso(row.at),
  }));
}

/** Micro-credits captured for answers asked through an API key within [from, to) (its charges of a day). */
export async function chargedThroughApiKey(sql: SqlExecutor, apiKeyId: string, from: string, to: string): Promise<number> {
  const [row] = await sql.query<{ total: number | string | null }>(
    `SELECT sum(amount) AS total FROM wallet_ledger WHERE api_key_id = $1 AND kind = 'capture' AND at >= $2 AND at < $3`,
    [apiKeyId, from, to],
  );
  return Number(row?.total ?? 0);
}
