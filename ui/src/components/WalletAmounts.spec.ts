import { describe, expect, it } from 'vitest';
import { creditsToMicros, newDepositReference } from './WalletAmounts';

describe('deposit amounts', () => {
  it('turns credits into whole micro-credits exactly', () => {
    expect(creditsToMicros('12.5')).toBe(12_500_000);
    expect(creditsToMicros(' 3 ')).toBe(3_000_000);
    expect(creditsToMicros('0,000001')).toBe(1);
    expect(creditsToMicros('0.1')).toBe(100_000);
    expect(creditsToMicros('7.')).toBe(7_000_000);
    expect(creditsToMicros('1.123456')).toBe(1_123_456);
  });

  it('refuses nothing, zero, negatives, too many decimals, words and unsafe sizes', () => {
    for (const text of ['', '0', '0.000000', '-1', '1.1234567', 'ten', '1e3', '.5', '1 000', '9007199254740992']) {
      expect(creditsToMicros(text), text).toBeUndefined();
    }
  });

  it('makes a fresh reference each time', () => {
    const a = newDepositReference();
    expect(a).toMatch(/^ui-[0-9a-f-]{36}$/);
    expect(newDepositReference()).not.toBe(a);
  });
});
