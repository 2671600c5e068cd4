import { describe, expect, it } from 'vitest';
import { MalformedEventError } from './errors.ts';
import type { RecordedEvent } from './eventstore.ts';
import { parseWalletEvent } from './wallet.ts';

const recorded = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: '6f1c1f0e-0000-4000-8000-000000000001',
  type,
  data,
  metadata: {},
  streamId: 'wallet-u1',
  revision: 3,
  position: '10-10',
  createdAt: '2025-01-01T00:00:00.000Z',
});

const deposit = { userId: 'u1', amount: 500, reference: 'r1', balanceAfter: 500, reservedAfter: 0 };

describe('eventParser', () => {
  it('gives the typed event inside its envelope', () => {
    const event = parseWalletEvent(recorded('FundsDeposited', deposit));
    expect(event).toMatchObject({ type: 'FundsDeposited', data: deposit, streamId: 'wallet-u1', revision: 3 });
    if (event.type === 'FundsDeposited') expect(event.data.reference).toBe('r1');
  });

  it('names the event and the field when the data does not match its schema', () => {
    const bad = recorded('FundsDeposited', { ...deposit, amount: '500' });
    expect(() => parseWalletEvent(bad)).toThrow(MalformedEventError);
    expect(() => parseWalletEvent(bad)).toThrow(
      /^event FundsDeposited at revision 3 of wallet-u1 does not match its schema: data\.amount: /,
    );
    try {
      parseWalletEvent(bad);
    } catch (error) {
      expect(error).toMatchObject({ code: 'INTERNAL', streamId: 'wallet-u1', revision: 3, eventType: 'FundsDeposited' });
    }
  });

  it('refuses a type it does not expect', () => {
    expect(() => parseWalletEvent(recorded('UserRegistered', {}))).toThrow(
      /^event UserRegistered at revision 3 of wallet-u1 is none of the expected types \(FundsDeposited, /,
    );
  });

  it('parses one recorded event once, however many readers ask', () => {
    const event = recorded('FundsDeposited', deposit);
    expect(parseWalletEvent(event)).toBe(parseWalletEvent(event));
  });
});
