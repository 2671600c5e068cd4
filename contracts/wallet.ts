/**
 * Wallet contract: events on `wallet-{userId}`, the commands that produce them, their input schemas and the price
 * table. Money is integer micro-credits (safe integers), never floats.
 *
 * A wallet's holder is a user or a workspace (`wallet-{workspaceId}`, funded by its owners): the `userId` of the
 * commands and events is the holder's id, whichever it is (the field kept its name so old logs parse as they are).
 *
 * Every event carries the wallet's balance and reserved amount after it, so a read model can be rebuilt by plain
 * upserts (replaying an event twice writes the same row) and every ledger line explains itself.
 */
import { z } from 'zod';
import { DomainError } from './errors.ts';
import { eventParser, type EventsOf } from './event-parser.ts';
import type { EventMetadata } from './eventstore.ts';
import type { Position } from './position.ts';

/** zod 4's int() also bounds to safe integers. */
export const micros = z.number().int('must be a whole number of micro-credits');
export const positiveMicros = micros.refine((value) => value > 0, { message: 'must be greater than zero' });
export const nonNegativeMicros = micros.refine((value) => value >= 0, { message: 'must not be negative' });
const tokens = z.number().int().nonnegative();
const id = z.string().trim().min(1).max(200);

/** Micro-credits per 1,000 tokens. */
export const modelPriceSchema = z.object({ promptPer1k: nonNegativeMicros, completionPer1k: nonNegativeMicros });
export type ModelPrice = z.infer<typeof modelPriceSchema>;
export const priceTableSchema = z.record(z.string().min(1), modelPriceSchema);
/** model name -> price */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** The price of a model; a model without one cannot be billed, so it cannot be used (INTERNAL: a config gap). */
export function priceOf(table: PriceTable, model: string): ModelPrice {
  const price = table[model];
  if (!price) throw new DomainError('INTERNAL', `no price for model ${model}: add it to PRICES`, { model });
  return price;
}

/** What a usage costs at a price, rounded up to a whole micro-credit (we never charge fractions, nor give them away). */
export function costOf(price: ModelPrice, usage: { promptTokens: number; completionTokens: number }): number {
  const thousandths = usage.promptTokens * price.promptPer1k + usage.completionTokens * price.completionPer1k;
  return Math.ceil(thousandths / 1000);
}

// Commands -------------------------------------------------------------------------------------------------------

export const depositSchema = z.object({ userId: id, amount: positiveMicros, reference: id });
export const reserveFundsSchema = z.object({
  userId: id,
  reservationId: id,
  amount: positiveMicros,
  turnId: id.optional(),
});
export const captureFundsSchema = z.object({
  userId: id,
  reservationId: id,
  /** The actual charge; at most the reserved amount. The rest of the hold is released in the same event. */
  amount: nonNegativeMicros,
  model: z.string().min(1),
  promptTokens: tokens,
  completionTokens: tokens,
  price: modelPriceSchema,
});
export const releaseFundsSchema = z.object({ userId: id, reservationId: id, reason: z.string().min(1).max(500) });
/** A transfer's reference is short enough that the deposit reference derived from it stays a valid reference. */
export const TRANSFER_REFERENCE_CHARS = 120;
/**
 * Moves funds out of this wallet towards another (a workspace's): the first half of a transfer. The second half is
 * a deposit into `toWalletId` with reference transferDepositReference(userId, reference).
 */
export const transferOutSchema = z.object({
  userId: id,
  amount: positiveMicros,
  reference: z.string().trim().min(1).max(TRANSFER_REFERENCE_CHARS),
  toWalletId: id,
});

export type DepositCommand = { type: 'Deposit'; data: z.infer<typeof depositSchema> };
export type ReserveFundsCommand = { type: 'ReserveFunds'; data: z.infer<typeof reserveFundsSchema> };
export type CaptureFundsCommand = { type: 'CaptureFunds'; data: z.infer<typeof captureFundsSchema> };
export type ReleaseFundsCommand = { type: 'ReleaseFunds'; data: z.infer<typeof releaseFundsSchema> };
export type TransferOutCommand = { type: 'TransferOut'; data: z.infer<typeof transferOutSchema> };
export type WalletCommand = DepositCommand | ReserveFundsCommand | CaptureFundsCommand | ReleaseFundsCommand | TransferOutCommand;

export const walletCommandSchemas = {
  Deposit: depositSchema,
  ReserveFunds: reserveFundsSchema,
  CaptureFunds: captureFundsSchema,
  ReleaseFunds: releaseFundsSchema,
  TransferOut: transferOutSchema,
} as const;

// Events ---------------------------------------------------------------------------------------------------------

/** Balance and reserved amount right after the event. */
const after = {
  /** Deposits minus captured charges. */
  balanceAfter: micros,
  /** Sum of open holds. */
  reservedAfter: micros,
};
const storedId = z.string().min(1);
const turnId = storedId.nullable();

export const walletEventSchemas = {
  FundsDeposited: z.object({ userId: storedId, amount: micros, reference: storedId, ...after }),
  FundsReserved: z.object({ userId: storedId, reservationId: storedId, amount: micros, turnId, ...after }),
  /** amount: what was asked; available: what there was. Nothing is held. */
  ReservationDeclined: z.object({
    userId: storedId,
    reservationId: storedId,
    amount: micros,
    available: micros,
    turnId,
    ...after,
  }),
  FundsCaptured: z.object({
    userId: storedId,
    reservationId: storedId,
    turnId,
    /** Charged. */
    amount: micros,
    /** The hold it was taken from, and the remainder released by this same event. */
    reserved: micros,
    released: micros,
    model: z.string().min(1),
    promptTokens: tokens,
    completionTokens: tokens,
    price: modelPriceSchema,
    ...after,
  }),
  FundsReleased: z.object({ userId: storedId, reservationId: storedId, turnId, amount: micros, reason: z.string(), ...after }),
  /**
   * Funds that left this wallet for `toWalletId` (idempotent per reference). The matching deposit there has the
   * reference transferDepositReference(userId, reference); a reactor makes sure it follows.
   */
  FundsTransferredOut: z.object({
    userId: storedId,
    amount: micros,
    reference: storedId,
    toWalletId: storedId,
    ...after,
  }),
} as const;

export type WalletEvent = EventsOf<typeof walletEventSchemas>;
export type WalletEventType = WalletEvent['type'];
export type WalletEventOf<T extends WalletEventType> = Extract<WalletEvent, { type: T }>;
export type FundsDeposited = WalletEventOf<'FundsDeposited'>;
export type FundsReserved = WalletEventOf<'FundsReserved'>;
export type ReservationDeclined = WalletEventOf<'ReservationDeclined'>;
export type FundsCaptured = WalletEventOf<'FundsCaptured'>;
export type FundsReleased = WalletEventOf<'FundsReleased'>;
export type FundsTransferredOut = WalletEventOf<'FundsTransferredOut'>;

export const WALLET_EVENT_TYPES: readonly WalletEventType[] = [
  'FundsDeposited',
  'FundsReserved',
  'ReservationDeclined',
  'FundsCaptured',
  'FundsReleased',
  'FundsTransferredOut',
];

export const parseWalletEvent = eventParser(walletEventSchemas);

/** Ledger line kinds (docs/ARCHITECTURE.md "Wallets"), one per wallet event. */
export type LedgerKind = 'deposit' | 'reserve' | 'capture' | 'release' | 'decline' | 'transfer';
export const LEDGER_KIND_OF: Record<WalletEventType, LedgerKind> = {
  FundsDeposited: 'deposit',
  FundsReserved: 'reserve',
  ReservationDeclined: 'decline',
  FundsCaptured: 'capture',
  FundsReleased: 'release',
  FundsTransferredOut: 'transfer',
};

/** How a ledger line changes the balance: deposits add, captures and transfers out subtract, holds only move `reserved`. */
export function balanceDelta(event: WalletEvent): number {
  switch (event.type) {
    case 'FundsDeposited':
      return event.data.amount;
    case 'FundsCaptured':
    case 'FundsTransferredOut':
      return -event.data.amount;
    case 'FundsReserved':
    case 'ReservationDeclined':
    case 'FundsReleased':
      return 0;
    default: {
      const unhandled: never = event;
      throw new Error(`unknown wallet event ${JSON.stringify(unhandled)}`);
    }
  }
}

export const signupGrantReference = (userId: string) => `signup-${userId}`;

/** The reference of the deposit that completes a transfer out of `fromWalletId` with this reference. */
export const TRANSFER_REFERENCE_PREFIX = 'transfer-';
export const transferDepositReference = (fromWalletId: string, reference: string) =>
  `${TRANSFER_REFERENCE_PREFIX}${fromWalletId}-${reference}`;

// The port the query side calls (implemented in command-side/wallet, injected by the composition root) -----------

export interface WalletBalance {
  userId: string;
  balance: number;
  reserved: number;
  available: number;
}

export interface WalletCommands {
  /** Idempotent per reference. position: where the deposit was appended (undefined for a repeat). */
  deposit(
    input: { userId: string; amount: number; reference: string },
    metadata?: EventMetadata,
  ): Promise<{ wallet: WalletBalance; position: Position | undefined }>;
  /**
   * Makes sure the user's signup grant is in the log (idempotent; nothing when the grant is 0). wallet: the balance
   * as decided on the wallet's stream; position: where the grant was appended (undefined when nothing was).
   */
  ensureSignupGrant(userId: string): Promise<{ wallet: WalletBalance; position: Position | undefined }>;
  /** The wallet folded from its stream up to a log position and/or a time (inclusive). */
  walletAt(
    userId: string,
    bound: { position?: string | null; at?: string | null },
  ): Promise<{ wallet: WalletBalance; position: Position | undefined }>;
}
