/**
 * Wallet state, folded from `wallet-{userId}`. It remembers every reservation (open or closed) and every deposit
 * reference, so a repeated command can answer with its first outcome and append nothing.
 */
import type { WalletEvent } from '../../contracts/wallet.ts';
import { PersistentMap } from './persistent-map.ts';

export type ReservationStatus = 'open' | 'captured' | 'released' | 'declined';

export interface Reservation {
  reservationId: string;
  /** What was asked for (held while open). */
  amount: number;
  turnId: string | null;
  status: ReservationStatus;
  /** Set once captured. */
  captured?: number;
  /** Set once captured or released: the part of the hold given back. */
  released?: number;
  /** Set when declined: what was available then. */
  availableWhenDeclined?: number;
}

export interface Transfer {
  amount: number;
  toWalletId: string;
}

export interface WalletState {
  balance: number;
  reserved: number;
  /** reference -> amount */
  deposits: PersistentMap<number>;
  /** reference -> the transfer out made with it */
  transfers: PersistentMap<Transfer>;
  reservations: PersistentMap<Reservation>;
  /** Number of events folded into this state (stream revision + 1). */
  version: number;
}

export const available = (state: Pick<WalletState, 'balance' | 'reserved'>) => state.balance - state.reserved;

export const initialState = (): WalletState => ({
  balance: 0,
  reserved: 0,
  deposits: PersistentMap.empty(),
  transfers: PersistentMap.empty(),
  reservations: PersistentMap.empty(),
  version: 0,
});

export function openReservations(state: WalletState): Reservation[] {
  return [...state.reservations.values()].filter((r) => r.status === 'open');
}

/** Balances are recomputed from amounts; the events' balanceAfter/reservedAfter are for readers, and tests check both agree. */
export function evolve(state: WalletState, event: WalletEvent): WalletState {
  const version = state.version + 1;
  switch (event.type) {
    case 'FundsDeposited':
      return {
        ...state,
        version,
        balance: state.balance + event.data.amount,
        deposits: state.deposits.set(event.data.reference, event.data.amount),
      };
    case 'FundsTransferredOut': {
      const { reference, amount, toWalletId } = event.data;
      return { ...state, version, balance: state.balance - amount, transfers: state.transfers.set(reference, { amount, toWalletId }) };
    }
    case 'FundsReserved': {
      const { reservationId, amount, turnId } = event.data;
      const reservation: Reservation = { reservationId, amount, turnId, status: 'open' };
      return {
        ...state,
        version,
        reserved: state.reserved + amount,
        reservations: state.reservations.set(reservationId, reservation),
      };
    }
    case 'ReservationDeclined': {
      const { reservationId, amount, turnId, available: availableWhenDeclined } = event.data;
      const reservation: Reservation = { reservationId, amount, turnId, status: 'declined', availableWhenDeclined };
      return { ...state, version, reservations: state.reservations.set(reservationId, reservation) };
    }
    case 'FundsCaptured': {
      const { reservationId, amount, reserved, released, turnId } = event.data;
      const reservation: Reservation = {
        reservationId,
        amount: reserved,
        turnId,
        status: 'captured',
        captured: amount,
        released,
      };
      return {
        ...state,
        version,
        balance: state.balance - amount,
        reserved: state.reserved - reserved,
        reservations: state.reservations.set(reservationId, reservation),
      };
    }
    case 'FundsReleased': {
      const { reservationId, amount, turnId } = event.data;
      const reservation: Reservation = { reservationId, amount, turnId, status: 'released', released: amount };
      return {
        ...state,
        version,
        reserved: state.reserved - amount,
        reservations: state.reservations.set(reservationId, reservation),
      };
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unknown wallet event ${JSON.stringify(unhandled)}`);
    }
  }
}
