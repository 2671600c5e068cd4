/**
 * `npm run audit -- wallet <userId> [--at <position|time>]`: the wallet's events with the balance after each, folded
 * here from the events (a recorded balance that differs from the fold is flagged), and with a bound the wallet as of
 * it, by the same fold as the walletAt query (command-side/wallet/wallet-at.ts).
 */
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { parseWalletEvent } from '../../contracts/wallet.ts';
import { evolve, initialState, type WalletState } from '../../command-side/wallet/state.ts';
import { walletAsOf, type WalletAtBound } from '../../command-side/wallet/wallet-at.ts';
import { eventLines } from './describe-event.ts';
import { DOES_NOT_ADD_UP } from './print-turn.ts';

const figures = (state: Pick<WalletState, 'balance' | 'reserved'>) =>
  `balance ${state.balance}, reserved ${state.reserved}, available ${state.balance - state.reserved}`;

export function walletLines(userId: string, events: readonly RecordedEvent[], bound: WalletAtBound | undefined): string[] {
  const asOf = bound && walletAsOf(events, bound);
  const shown = asOf ? events.slice(0, asOf.revision + 1) : events;
  const lines = [`wallet of user ${userId}: ${shown.length} of ${events.length} events`];
  let state = initialState();
  for (const recorded of shown) {
    const event = parseWalletEvent(recorded);
    state = evolve(state, event);
    lines.push(...eventLines(recorded));
    if (state.balance !== event.data.balanceAfter || state.reserved !== event.data.reservedAfter) {
      lines.push(`${DOES_NOT_ADD_UP} the events add up to ${figures(state)}, the event records ${figures({ balance: event.data.balanceAfter, reserved: event.data.reservedAfter })}`);
    }
  }
  if (!asOf) return [...lines, `now: ${figures(state)}`];
  const bounds = [bound.position && `position ${bound.position}`, bound.at && `time ${bound.at}`].filter(Boolean).join(' and ');
  const last = asOf.position ? `its last event at ${asOf.position}` : 'no event yet';
  return [...lines, `as of ${bounds} (${last}): ${figures(asOf.state)}`];
}
