/**
 * Why a turn's wallet line is what it is, from the log alone: the usage recorded with the answer at the price
 * recorded with the question (costOf, rounded up), never more than the hold, is what the wallet captured; a released
 * or declined hold charged nothing. Anything in the chain that does not add up is named in `problems`, so an
 * auditor sees it instead of a silent mismatch.
 */
import type { TurnEventOf, TurnUsage } from '../../contracts/turns.ts';
import { costOf, type ModelPrice, type WalletEvent } from '../../contracts/wallet.ts';

export type Settlement = 'captured' | 'released' | 'declined';

export interface TurnCharge {
  /** How the wallet closed the turn's hold; null while it is open. */
  settlement: Settlement | null;
  /** The hold the charge is capped at: what the wallet reserved, else what the question asked for. */
  hold: number;
  /** The recorded usage at the price, rounded up to a whole micro-credit; null without a recorded usage. */
  usageCost: number | null;
  /** What the chain says the wallet should take: min(usageCost, hold) on a capture, 0 otherwise; null while open. */
  expected: number | null;
  /** What the wallet took for this turn (its FundsCaptured); 0 when released or declined; null while open. */
  charged: number | null;
  /** Where the chain does not add up, in words; empty when it does. */
  problems: string[];
}

export interface ChargeInputs {
  price: ModelPrice;
  /** The hold the question asked for (TurnStarted.reservationAmount). */
  asked: number;
  /** The usage recorded with a completed or stopped answer. */
  usage: TurnUsage | null;
  /** The wallet's events about this turn's reservation, in log order. */
  wallet: readonly WalletEvent[];
  /** The turn's own record of how its hold was closed, for a hold the wallet never had (stopped while reserving). */
  turnReleased: boolean;
  /** The turn's end, when it has one. */
  end: TurnEventOf<'TurnCompleted' | 'TurnStopped' | 'TurnFailed' | 'TurnRejected'> | null;
}

const closing = (event: WalletEvent) => event.type === 'FundsCaptured' || event.type === 'FundsReleased';

function settlementOf(inputs: ChargeInputs): Settlement | null {
  const closed = inputs.wallet.find((event) => closing(event) || event.type === 'ReservationDeclined');
  if (closed?.type === 'FundsCaptured') return 'captured';
  if (closed?.type === 'FundsReleased') return 'released';
  if (closed?.type === 'ReservationDeclined') return 'declined';
  return inputs.turnReleased ? 'released' : null;
}

function captureProblems(inputs: ChargeInputs, charged: number, expected: number | null): string[] {
  const capture = inputs.wallet.find((event) => event.type === 'FundsCaptured');
  if (!inputs.usage || expected === null) return ['the wallet captured a charge, but the turn recorded no usage'];
  const problems: string[] = [];
  if (charged !== expected) problems.push(`the wallet charged ${charged}, the usage at the price within the hold is ${expected}`);
  if (capture?.type === 'FundsCaptured') {
    const { model, promptTokens, completionTokens, price } = capture.data;
    const { usage } = inputs;
    if (model !== usage.model || promptTokens !== usage.promptTokens || completionTokens !== usage.completionTokens) {
      problems.push(`the wallet captured for ${model} ${promptTokens}+${completionTokens} tokens, the answer recorded ` +
        `${usage.model} ${usage.promptTokens}+${usage.completionTokens}`);
    }
    if (price.promptPer1k !== inputs.price.promptPer1k || price.completionPer1k !== inputs.price.completionPer1k) {
      problems.push('the wallet captured at another price than the question recorded');
    }
  }
  return problems;
}

export function explainCharge(inputs: ChargeInputs): TurnCharge {
  const reserved = inputs.wallet.find((event) => event.type === 'FundsReserved');
  const hold = reserved?.data.amount ?? inputs.asked;
  const usageCost = inputs.usage ? costOf(inputs.price, inputs.usage) : null;
  const settlement = settlementOf(inputs);
  const charged = settlement === null ? null : inputs.wallet.reduce((sum, e) => sum + (e.type === 'FundsCaptured' ? e.data.amount : 0), 0);
  const expected = settlement === null ? null : settlement === 'captured' ? (usageCost === null ? null : Math.min(usageCost, hold)) : 0;

  const problems: string[] = [];
  const closings = inputs.wallet.filter(closing).length;
  if (closings > 1) problems.push(`the wallet closed this hold ${closings} times`);
  if (settlement === 'captured') problems.push(...captureProblems(inputs, charged ?? 0, expected));
  const end = inputs.end;
  if (end && (end.type === 'TurnCompleted' || end.type === 'TurnStopped') && charged !== null && end.data.cost !== charged) {
    problems.push(`the turn ended with cost ${end.data.cost}, the wallet charged ${charged}`);
  }
  if (end && settlement === null) problems.push(`the turn ended (${end.type}) but its hold is still open`);
  return { settlement, hold, usageCost, expected, charged, problems };
}
