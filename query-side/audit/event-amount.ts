/** The micro-credits an event of a turn's chain is about, so a trail can be read as money moving; null for the rest. */
import type { RecordedEvent } from '../../contracts/eventstore.ts';

/** Event type -> the data field holding its amount. */
const AMOUNT_FIELD: Readonly<Record<string, string>> = {
  TurnStarted: 'reservationAmount',
  TurnFundsReserved: 'amount',
  TurnReservationDeclined: 'amount',
  TurnFundsCaptured: 'amount',
  TurnFundsReleased: 'amount',
  TurnCompleted: 'cost',
  TurnStopped: 'cost',
  TurnRejected: 'needed',
  FundsDeposited: 'amount',
  FundsReserved: 'amount',
  ReservationDeclined: 'amount',
  FundsCaptured: 'amount',
  FundsReleased: 'amount',
  FundsTransferredOut: 'amount',
};

export function amountOf(event: Pick<RecordedEvent, 'type' | 'data'>): number | null {
  const field = Object.hasOwn(AMOUNT_FIELD, event.type) ? AMOUNT_FIELD[event.type]! : undefined;
  const value = field === undefined ? undefined : event.data[field];
  return typeof value === 'number' ? value : null;
}
