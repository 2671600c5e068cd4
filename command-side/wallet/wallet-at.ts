/**
 * Audit replay: the wallet as it was at a log position and/or a moment, folded from its stream (not from a read
 * model), so it answers from the source of truth.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { EventStore, RecordedEvent } from '../../contracts/eventstore.ts';
import { comparePositions, isPosition, type Position } from '../../contracts/position.ts';
import { walletStream } from '../../contracts/streams.ts';
import { parseWalletEvent } from '../../contracts/wallet.ts';
import { evolve, initialState, type WalletState } from './state.ts';

export interface WalletAtBound {
  /** Inclusive: events at or before this log position. */
  position?: string | null | undefined;
  /** Inclusive: events recorded at or before this ISO 8601 time. */
  at?: string | null | undefined;
}

export interface WalletSnapshot {
  state: WalletState;
  /** Last event folded, or undefined when none was. */
  position: Position | undefined;
  revision: number;
}

export async function walletAt(store: EventStore, userId: string, bound: WalletAtBound): Promise<WalletSnapshot> {
  checkBound(bound); // before reading: a bad bound is the caller's mistake, not worth a read
  return walletAsOf(await store.readStream(walletStream(userId)), bound);
}

/**
 * The fold itself, over a wallet stream's events however they were read (the audit CLI may read them through a
 * server's auditTrail): oldest first, stopping at the first event past the bound.
 */
export function walletAsOf(events: readonly RecordedEvent[], bound: WalletAtBound): WalletSnapshot {
  const { position, at } = checkBound(bound);
  let state = initialState();
  let last: Position | undefined;
  let revision = -1;
  for (const event of events) {
    if (position !== undefined && comparePositions(event.position, position) > 0) break;
    if (at !== undefined && Date.parse(event.createdAt) > at) break;
    state = evolve(state, parseWalletEvent(event));
    last = event.position;
    revision = event.revision;
  }
  return { state, position: last, revision };
}

/** The bound with its time parsed; BAD_USER_INPUT for a position or a time that is not one. */
function checkBound(bound: WalletAtBound): { position: string | undefined; at: number | undefined } {
  const position = bound.position ?? undefined;
  if (position !== undefined && !isPosition(position)) {
    throw new DomainError('BAD_USER_INPUT', `position ${JSON.stringify(position)} is not a log position`);
  }
  const at = bound.at ? Date.parse(bound.at) : undefined;
  if (at !== undefined && Number.isNaN(at)) {
    throw new DomainError('BAD_USER_INPUT', `at ${JSON.stringify(bound.at)} is not an ISO 8601 time`);
  }
  return { position, at };
}
