// Both languages and every key used: messages.spec.ts.
import { describe, expect, it } from 'vitest';
import { LEDGER_KINDS } from '../../components/LedgerLines';
import { wallet } from './wallet';

describe('wallet messages', () => {
  it('name and explain every ledger kind, the signup grant, a workspace\'s funding and what is unknown', () => {
    for (const key of [...LEDGER_KINDS, 'signup', 'workspaceFunding', 'captureWithoutModel', 'unknown']) {
      expect(wallet.en.ledger.kind).toHaveProperty(key);
      expect(wallet.en.ledger.explain).toHaveProperty(key);
    }
  });
});
