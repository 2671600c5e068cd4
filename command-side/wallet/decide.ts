/**
 * Wallet business rules. Pure: the state folded from `wallet-{userId}` and a command in, events out (none for an
 * idempotent repeat), or a DomainError. Declining a reservation is a decision, recorded as an event.
 */
import { DomainError } from '../../contracts/errors.ts';
import {
  walletCommandSchemas,
  type CaptureFundsCommand,
  type DepositCommand,
  type ReleaseFundsCommand,
  type ReserveFundsCommand,
  type TransferOutCommand,
  type WalletCommand,
  type WalletEvent,
} from '../../contracts/wallet.ts';
import { available, type Reservation, type WalletState } from './state.ts';

function validated<C extends WalletCommand>(command: C): C['data'] {
  const parsed = walletCommandSchemas[command.type].safeParse(command.data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`);
    throw new DomainError('BAD_USER_INPUT', `invalid ${command.type}: ${issues.join('; ')}`, { issues });
  }
  return parsed.data as C['data'];
}

function deposit(command: DepositCommand, state: WalletState): WalletEvent[] {
  const { userId, amount, reference } = validated(command);
  const earlier = state.deposits.get(reference);
  if (earlier !== undefined) {
    if (earlier === amount) return [];
    throw new DomainError('CONFLICT', `deposit ${reference} was already made with a different amount (${earlier})`, {
      reference,
      amount: earlier,
    });
  }
  const balanceAfter = state.balance + amount;
  return [{ type: 'FundsDeposited', data: { userId, amount, reference, balanceAfter, reservedAfter: state.reserved } }];
}

/**
 * The first half of a transfer: never more than is available (INSUFFICIENT_FUNDS, nothing appended: the funder is
 * refused, unlike a turn's reservation, whose refusal is the turn's outcome). Idempotent per reference like a
 * deposit: same amount and destination again appends nothing; other terms are CONFLICT.
 */
function transferOut(command: TransferOutCommand, state: WalletState): WalletEvent[] {
  const { userId, amount, reference, toWalletId } = validated(command);
  if (toWalletId === userId) throw new DomainError('BAD_USER_INPUT', 'a wallet cannot transfer to itself', { toWalletId });
  const earlier = state.transfers.get(reference);
  if (earlier !== undefined) {
    if (earlier.amount === amount && earlier.toWalletId === toWalletId) return [];
    throw new DomainError('CONFLICT', `transfer ${reference} was already made with other terms (${earlier.amount} to ${earlier.toWalletId})`, {
      reference,
      amount: earlier.amount,
    });
  }
  const free = available(state);
  if (amount > free) {
    throw new DomainError('INSUFFICIENT_FUNDS', `${amount} micro-credits asked, ${free} available`, { amount, available: free });
  }
  return [
    {
      type: 'FundsTransferredOut',
      data: { userId, amount, reference, toWalletId, balanceAfter: state.balance - amount, reservedAfter: state.reserved },
    },
  ];
}

function reserve(command: ReserveFundsCommand, state: WalletState): WalletEvent[] {
  const { userId, reservationId, amount } = validated(command);
  const turnId = command.data.turnId ?? null;
  const earlier = state.reservations.get(reservationId);
  if (earlier) {
    if (earlier.amount === amount && earlier.turnId === turnId) return [];
    throw new DomainError('CONFLICT', `reservation ${reservationId} already exists with other terms`, { reservationId });
  }
  const free = available(state);
  const after = { balanceAfter: state.balance };
  if (amount > free) {
    return [
      {
        type: 'ReservationDeclined',
        data: { userId, reservationId, amount, available: free, turnId, ...after, reservedAfter: state.reserved },
      },
    ];
  }
  return [
    { type: 'FundsReserved', data: { userId, reservationId, amount, turnId, ...after, reservedAfter: state.reserved + amount } },
  ];
}

function existing(state: WalletState, reservationId: string): Reservation {
  const reservation = state.reservations.get(reservationId);
  if (!reservation) throw new DomainError('NOT_FOUND', `no reservation ${reservationId} in this wallet`, { reservationId });
  return reservation;
}

function capture(command: CaptureFundsCommand, state: WalletState): WalletEvent[] {
  const { userId, reservationId, amount, model, promptTokens, completionTokens, price } = validated(command);
  const reservation = existing(state, reservationId);
  switch (reservation.status) {
    case 'captured':
      if (reservation.captured === amount) return [];
      throw new DomainError('CONFLICT', `reservation ${reservationId} was already captured (${reservation.captured})`, {
        reservationId,
        captured: reservation.captured,
      });
    case 'released':
    case 'declined':
      throw new DomainError('CONFLICT', `reservation ${reservationId} was ${reservation.status}: nothing to capture`, {
        reservationId,
        status: reservation.status,
      });
    case 'open':
      break;
  }
  if (amount > reservation.amount) {
    throw new DomainError('BAD_USER_INPUT', `capture of ${amount} exceeds reservation ${reservationId} (${reservation.amount})`, {
      reservationId,
      reserved: reservation.amount,
      amount,
    });
  }
  return [
    {
      type: 'FundsCaptured',
      data: {
        userId,
        reservationId,
        turnId: reservation.turnId,
        amount,
        reserved: reservation.amount,
        released: reservation.amount - amount,
        model,
        promptTokens,
        completionTokens,
        price: { promptPer1k: price.promptPer1k, completionPer1k: price.completionPer1k },
        balanceAfter: state.balance - amount,
        reservedAfter: state.reserved - reservation.amount,
      },
    },
  ];
}

/** Releasing a reservation that is already closed (captured, released, declined) holds nothing: a no-op. */
function release(command: ReleaseFundsCommand, state: WalletState): WalletEvent[] {
  const { userId, reservationId, reason } = validated(command);
  const reservation = existing(state, reservationId);
  if (reservation.status !== 'open') return [];
  return [
    {
      type: 'FundsReleased',
      data: {
        userId,
        reservationId,
        turnId: reservation.turnId,
        amount: reservation.amount,
        reason,
        balanceAfter: state.balance,
        reservedAfter: state.reserved - reservation.amount,
      },
    },
  ];
}

export function decide(command: WalletCommand, state: WalletState): WalletEvent[] {
  switch (command.type) {
    case 'Deposit':
      return deposit(command, state);
    case 'ReserveFunds':
      return reserve(command, state);
    case 'CaptureFunds':
      return capture(command, state);
    case 'ReleaseFunds':
      return release(command, state);
    case 'TransferOut':
      return transferOut(command, state);
    default: {
      const unhandled: never = command;
      throw new DomainError('BAD_USER_INPUT', `unknown wallet command ${JSON.stringify(unhandled)}`);
    }
  }
}
