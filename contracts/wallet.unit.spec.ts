import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { costOf, priceOf, priceTableSchema } from './wallet.ts';

describe('prices', () => {
  const price = { promptPer1k: 800, completionPer1k: 2000 };

  it('charges per 1,000 tokens, rounded up to a whole micro-credit', () => {
    expect(costOf(price, { promptTokens: 1000, completionTokens: 1000 })).toBe(2800);
    expect(costOf(price, { promptTokens: 1, completionTokens: 0 })).toBe(1);
    expect(costOf(price, { promptTokens: 0, completionTokens: 0 })).toBe(0);
    expect(costOf(price, { promptTokens: 1234, completionTokens: 567 })).toBe(Math.ceil((1234 * 800 + 567 * 2000) / 1000));
  });

  it('validates a price table', () => {
    expect(priceTableSchema.safeParse({ m: price }).success).toBe(true);
    expect(priceTableSchema.safeParse({ m: { promptPer1k: -1, completionPer1k: 1 } }).success).toBe(false);
    expect(priceTableSchema.safeParse({ m: { promptPer1k: 0.5, completionPer1k: 1 } }).success).toBe(false);
    expect(priceTableSchema.safeParse({ m: { promptPer1k: 1 } }).success).toBe(false);
  });

  it('knows no price for an unknown model', () => {
    expect(priceOf({ m: price }, 'm')).toBe(price);
    expect(() => priceOf({ m: price }, 'other')).toThrow(DomainError);
  });
});
