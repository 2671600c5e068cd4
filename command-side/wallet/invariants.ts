/**
 * The wallet's invariants over a whole stream, checked at every step: what the property tests and the concurrency
 * proofs assert. Returns the violations found (none when the stream is sound).
 */
import { balanceDelta, type WalletEvent } from '../../contracts/wallet.ts';
import { evolve, initialState, available, type WalletState } from './state.ts';

export function walletViolations(events: readonly WalletEvent[]): { violations: string[]; state: WalletState } {
  const violations: string[] = [];
  const closed = new Set<string>();
  const opened = new Set<string>();
  let ledgerSum = 0;
  let state = initialState();
  events.forEach((event, index) => {
    const at = `event ${index} (${event.type})`;
    if (event.type === 'FundsReserved' || event.type === 'ReservationDeclined') {
      if (opened.has(event.data.reservationId)) violations.push(`${at}: reservation ${event.data.reservationId} decided twice`);
      opened.add(event.data.reservationId);
    }
    if (event.type === 'FundsCaptured' || event.type === 'FundsReleased') {
      if (closed.has(event.data.reservationId)) violations.push(`${at}: reservation ${event.data.reservationId} closed twice`);
      closed.add(event.data.reservationId);
    }
    state = evolve(state, event);
    ledgerSum += balanceDelta(event);
    if (state.balance !== ledgerSum) violations.push(`${at}: balance ${state.balance} != ledger sum ${ledgerSum}`);
    if (available(state) < 0) violations.push(`${at}: available ${available(state)} < 0`);
    if (state.reserved < 0) violations.push(`${at}: reserved ${state.reserved} < 0`);
    if (event.data.balanceAfter !== state.balance || event.data.reservedAfter !== state.reserved) {
      const recorded = `${event.data.balanceAfter}/${event.data.reservedAfter}`;
      violations.push(`${at}: recorded balance/reserved ${recorded} != folded ${state.balance}/${state.reserved}`);
    }
  });
  const openHolds = [...state.reservations.values()].filter((r) => r.status === 'open').reduce((sum, r) => sum + r.amount, 0);
  if (openHolds !== state.reserved) violations.push(`open holds ${openHolds} != reserved ${state.reserved}`);
  return { violations, state };
}
