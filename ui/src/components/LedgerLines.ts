/**
 * How a ledger line explains itself: which sentence (a message key under wallet.ledger.explain), what it did to the
 * balance, the price per 1,000 tokens a charge implies, and where its question can be audited. Pure, so it is tested
 * without Vue or i18n.
 */
export interface LedgerLineFacts {
  kind: string;
  amount: number;
  reference?: string | null;
  turnId?: string | null;
  model?: string | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
}

/** A ledger line as the table shows it: a personal wallet's, or a workspace's (whose question lines say who asked). */
export interface LedgerLineView extends LedgerLineFacts {
  balanceAfter: number;
  position: string;
  at: string;
  askedBy?: string | null;
  apiKeyId?: string | null;
}

/** The ledger kinds the server writes (docs/ARCHITECTURE.md "Wallets"); anything else is shown as it comes. */
export const LEDGER_KINDS = ['deposit', 'reserve', 'capture', 'release', 'decline', 'transfer'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const isLedgerKind = (kind: string): kind is LedgerKind => (LEDGER_KINDS as readonly string[]).includes(kind);

/** The signup grant is a deposit like any other, but "deposit" alone would puzzle a user who never paid. */
const SIGNUP_REFERENCE = /^signup-/;

/**
 * A workspace's wallet is funded by a deposit whose reference is `transfer-<owner's id>-<the owner's reference>`
 * (contracts/wallet.ts transferDepositReference, which the UI may not import).
 */
const TRANSFER_REFERENCE = /^transfer-/;

/** `inWorkspace`: the line is a workspace wallet's, where a deposit is an owner's funding. */
export function explanationKey(line: LedgerLineFacts, inWorkspace = false): string {
  if (line.kind === 'deposit' && line.reference && SIGNUP_REFERENCE.test(line.reference)) return 'signup';
  if (inWorkspace && line.kind === 'deposit' && line.reference && TRANSFER_REFERENCE.test(line.reference)) return 'workspaceFunding';
  if (line.kind === 'capture' && !line.model) return 'captureWithoutModel';
  return isLedgerKind(line.kind) ? line.kind : 'unknown';
}

/**
 * Who funded a workspace and with which of their references, from the deposit's reference and the ids the page knows
 * (a user id may hold dashes, so it is found, not split off); undefined for a line that is no funding.
 */
export function fundingOf(reference: string | null | undefined, knownIds: Iterable<string>): { funderId?: string; reference: string } | undefined {
  if (!reference || !TRANSFER_REFERENCE.test(reference)) return undefined;
  const rest = reference.replace(TRANSFER_REFERENCE, '');
  for (const id of knownIds) if (rest.startsWith(`${id}-`)) return { funderId: id, reference: rest.slice(id.length + 1) };
  return { reference: rest };
}

/** Deposits add to the balance; charges and transfers out (funding a workspace) take from it; holds only move `reserved`. */
export function balanceEffect(line: Pick<LedgerLineFacts, 'kind' | 'amount'>): number {
  if (line.kind === 'deposit') return line.amount;
  if (line.kind === 'capture' || line.kind === 'transfer') return -line.amount;
  return 0;
}

/**
 * Micro-credits per 1,000 tokens a charge works out at, prompt and completion together (the model prices them
 * differently, so this is the blend this answer paid); undefined when there is nothing to divide by.
 */
export function impliedMicrosPer1k(line: LedgerLineFacts): number | undefined {
  const tokens = (line.promptTokens ?? 0) + (line.completionTokens ?? 0);
  if (line.kind !== 'capture' || tokens <= 0) return undefined;
  return Math.round((line.amount * 1000) / tokens);
}

/** The audit page's deep link to the question (turn) a line belongs to. */
export function turnAuditLink(turnId: string | null | undefined): { path: string; query: { stream: string } } | undefined {
  return turnId ? { path: '/audit', query: { stream: `turn-${turnId}` } } : undefined;
}
