/** What an admin types as a deposit, turned into integer micro-credits without going through floating point. */
import { MICROS_PER_CREDIT } from '../format';

const DECIMALS = Math.log10(MICROS_PER_CREDIT);
const CREDITS = new RegExp(`^(\\d+)(?:[.,](\\d{0,${DECIMALS}}))?$`);

/** "12.5" (or "12,5") credits -> 12_500_000 micros; undefined unless positive, with at most 6 decimals, and safe. */
export function creditsToMicros(text: string): number | undefined {
  const match = CREDITS.exec(text.trim());
  if (!match) return undefined;
  const micros = Number(match[1]) * MICROS_PER_CREDIT + Number((match[2] ?? '').padEnd(DECIMALS, '0'));
  return Number.isSafeInteger(micros) && micros > 0 ? micros : undefined;
}

/** A deposit's idempotency reference: one per intended deposit, so a repeated click deposits once. */
export const newDepositReference = (): string => `ui-${crypto.randomUUID()}`;
