import { describe, expect, it } from 'vitest';
import { balanceEffect, explanationKey, fundingOf, impliedMicrosPer1k, turnAuditLink } from './LedgerLines';

describe('ledger lines in words', () => {
  it('picks the sentence for each kind; the signup grant and unknown kinds get their own', () => {
    expect(explanationKey({ kind: 'deposit', amount: 5, reference: 'admin-1' })).toBe('deposit');
    expect(explanationKey({ kind: 'deposit', amount: 5, reference: 'signup-u1' })).toBe('signup');
    expect(explanationKey({ kind: 'capture', amount: 5, model: 'gpt' })).toBe('capture');
    expect(explanationKey({ kind: 'capture', amount: 5 })).toBe('captureWithoutModel');
    for (const kind of ['reserve', 'release', 'decline', 'transfer']) expect(explanationKey({ kind, amount: 1 })).toBe(kind);
    expect(explanationKey({ kind: 'refund', amount: 1 })).toBe('unknown');
  });

  it('reads a deposit into a workspace\'s wallet as an owner\'s funding, and only there', () => {
    const line = { kind: 'deposit', amount: 5, reference: 'transfer-u-1-ui-abc' };
    expect(explanationKey(line, true)).toBe('workspaceFunding');
    expect(explanationKey(line)).toBe('deposit');
    expect(explanationKey({ kind: 'deposit', amount: 5, reference: 'admin-1' }, true)).toBe('deposit');
  });

  it('finds who funded a workspace and their reference, even with dashes in the id', () => {
    expect(fundingOf('transfer-u-1-ui-abc', ['u-2', 'u-1'])).toEqual({ funderId: 'u-1', reference: 'ui-abc' });
    expect(fundingOf('transfer-gone-ref', ['u-1'])).toEqual({ reference: 'gone-ref' });
    expect(fundingOf('admin-1', ['u-1'])).toBeUndefined();
    expect(fundingOf(null, [])).toBeUndefined();
  });

  it('only deposits, charges and transfers out move the balance', () => {
    expect(balanceEffect({ kind: 'deposit', amount: 7 })).toBe(7);
    expect(balanceEffect({ kind: 'capture', amount: 7 })).toBe(-7);
    expect(balanceEffect({ kind: 'transfer', amount: 7 })).toBe(-7);
    for (const kind of ['reserve', 'release', 'decline', 'other']) expect(balanceEffect({ kind, amount: 7 })).toBe(0);
  });

  it('works out the blended price per 1,000 tokens of a charge', () => {
    // 1,000 prompt tokens at 800 and 500 completion tokens at 2,000 per 1k: 800 + 1,000 = 1,800 for 1,500 tokens.
    expect(impliedMicrosPer1k({ kind: 'capture', amount: 1800, promptTokens: 1000, completionTokens: 500 })).toBe(1200);
    expect(impliedMicrosPer1k({ kind: 'capture', amount: 1, promptTokens: 3, completionTokens: 0 })).toBe(333);
    expect(impliedMicrosPer1k({ kind: 'capture', amount: 0, promptTokens: 0, completionTokens: 0 })).toBeUndefined();
    expect(impliedMicrosPer1k({ kind: 'reserve', amount: 900, promptTokens: 10, completionTokens: 10 })).toBeUndefined();
  });

  it('links a turn line to the audit trail of its question', () => {
    expect(turnAuditLink('t1')).toEqual({ path: '/audit', query: { stream: 'turn-t1' } });
    expect(turnAuditLink(null)).toBeUndefined();
  });
});
