import { describe, expect, it } from 'vitest';
import { LEDGER_KINDS } from '../../components/LedgerLines';
import { wallet } from './wallet';

/** Every leaf's dotted path, to compare the languages' shapes. */
const keysOf = (value: object, prefix = ''): string[] =>
  Object.entries(value).flatMap(([key, inner]) =>
    typeof inner === 'object' && inner !== null ? keysOf(inner as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );

describe('wallet messages', () => {
  it('have the same keys in English and Chinese', () => {
    expect(keysOf(wallet.zh).sort()).toEqual(keysOf(wallet.en).sort());
  });

  it('name and explain every ledger kind, the signup grant and what is unknown', () => {
    for (const key of [...LEDGER_KINDS, 'signup', 'captureWithoutModel', 'unknown']) {
      expect(wallet.en.ledger.kind).toHaveProperty(key);
      expect(wallet.en.ledger.explain).toHaveProperty(key);
    }
  });
});
