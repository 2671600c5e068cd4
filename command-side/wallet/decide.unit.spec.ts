import { describe, it } from 'vitest';
import type { WalletEvent } from '../../contracts/wallet.ts';
import { walletDecider } from './decider.ts';
import { DeciderSpecification } from '../decider-specification.ts';

const spec = DeciderSpecification.for(walletDecider);
const userId = 'u1';
const price = { promptPer1k: 1000, completionPer1k: 3000 };

const deposited = (amount: number, reference: string, balanceAfter = amount, reservedAfter = 0): WalletEvent => ({
  type: 'FundsDeposited',
  data: { userId, amount, reference, balanceAfter, reservedAfter },
});
const reserved = (reservationId: string, amount: number, balanceAfter: number, reservedAfter = amount): WalletEvent => ({
  type: 'FundsReserved',
  data: { userId, reservationId, amount, turnId: 't1', balanceAfter, reservedAfter },
});
const released = (reservationId: string, amount: number, balanceAfter: number, reservedAfter = 0): WalletEvent => ({
  type: 'FundsReleased',
  data: { userId, reservationId, turnId: 't1', amount, reason: 'turn failed', balanceAfter, reservedAfter },
});
const capture = (reservationId: string, amount: number) =>
  ({
    type: 'CaptureFunds',
    data: { userId, reservationId, amount, model: 'm', promptTokens: 100, completionTokens: 20, price },
  }) as const;

describe('Deposit', () => {
  it('credits the wallet', () => {
    spec.given([]).when({ type: 'Deposit', data: { userId, amount: 500, reference: 'r1' } }).then([deposited(500, 'r1')]);
  });
  it('credits once per reference', () => {
    spec.given([deposited(500, 'r1')]).when({ type: 'Deposit', data: { userId, amount: 500, reference: 'r1' } }).thenNothing();
  });
  it('refuses to reuse a reference for another amount', () => {
    spec.given([deposited(500, 'r1')]).when({ type: 'Deposit', data: { userId, amount: 501, reference: 'r1' } }).thenThrows('CONFLICT');
  });
  it.each([0, -5, 1.5, Number.NaN, 2 ** 53])('refuses the amount %s', (amount) => {
    spec.given([]).when({ type: 'Deposit', data: { userId, amount, reference: 'r1' } }).thenThrows('BAD_USER_INPUT');
  });
  it('refuses an empty reference', () => {
    spec.given([]).when({ type: 'Deposit', data: { userId, amount: 5, reference: ' ' } }).thenThrows('BAD_USER_INPUT');
  });
});

describe('ReserveFunds', () => {
  const reserve = (reservationId: string, amount: number, turnId = 't1') =>
    ({ type: 'ReserveFunds', data: { userId, reservationId, amount, turnId } }) as const;

  it('holds funds that are available', () => {
    spec.given([deposited(500, 'r1')]).when(reserve('a', 200)).then([reserved('a', 200, 500)]);
  });
  it('may hold exactly everything available', () => {
    spec.given([deposited(500, 'r1'), reserved('a', 200, 500)]).when(reserve('b', 300)).then([reserved('b', 300, 500, 500)]);
  });
  it('declines beyond what is available, as an event with the amounts', () => {
    spec
      .given([deposited(500, 'r1'), reserved('a', 200, 500)])
      .when(reserve('b', 301))
      .then([
        {
          type: 'ReservationDeclined',
          data: { userId, reservationId: 'b', amount: 301, available: 300, turnId: 't1', balanceAfter: 500, reservedAfter: 200 },
        },
      ]);
  });
  it('repeats answer with the first outcome and append nothing', () => {
    spec.given([deposited(500, 'r1'), reserved('a', 200, 500)]).when(reserve('a', 200)).thenNothing();
    spec
      .given([
        {
          type: 'ReservationDeclined',
          data: { userId, reservationId: 'a', amount: 9, available: 0, turnId: 't1', balanceAfter: 0, reservedAfter: 0 },
        },
      ])
      .when(reserve('a', 9))
      .thenNothing();
  });
  it('refuses the same reservation id with other terms', () => {
    spec.given([deposited(500, 'r1'), reserved('a', 200, 500)]).when(reserve('a', 201)).thenThrows('CONFLICT');
  });
  it.each([0, -1, 0.5])('refuses the amount %s', (amount) => {
    spec.given([deposited(500, 'r1')]).when(reserve('a', amount)).thenThrows('BAD_USER_INPUT');
  });
});

describe('CaptureFunds', () => {
  const funded = [deposited(500, 'r1'), reserved('a', 200, 500)];

  it('charges the actual amount and releases the rest in the same event', () => {
    spec.given(funded).when(capture('a', 150)).then([
      {
        type: 'FundsCaptured',
        data: {
          userId,
          reservationId: 'a',
          turnId: 't1',
          amount: 150,
          reserved: 200,
          released: 50,
          model: 'm',
          promptTokens: 100,
          completionTokens: 20,
          price,
          balanceAfter: 350,
          reservedAfter: 0,
        },
      },
    ]);
  });
  it('may charge nothing', () => {
    spec.given(funded).when(capture('a', 0)).then([expectCaptured(0)]);
  });
  it('refuses to charge more than was reserved', () => {
    spec.given(funded).when(capture('a', 201)).thenThrows('BAD_USER_INPUT', /exceeds/);
  });
  it('captures once: a repeat appends nothing, another amount is a conflict', () => {
    const captured = [...funded, expectCaptured(150)];
    spec.given(captured).when(capture('a', 150)).thenNothing();
    spec.given(captured).when(capture('a', 100)).thenThrows('CONFLICT');
  });
  it('cannot capture a released reservation', () => {
    spec.given([...funded, released('a', 200, 500)]).when(capture('a', 10)).thenThrows('CONFLICT', /released/);
  });
  it('cannot capture an unknown reservation', () => {
    spec.given(funded).when(capture('zzz', 10)).thenThrows('NOT_FOUND');
  });
  it('refuses negative or fractional charges and token counts', () => {
    spec.given(funded).when(capture('a', -1)).thenThrows('BAD_USER_INPUT');
    spec.given(funded).when(capture('a', 1.5)).thenThrows('BAD_USER_INPUT');
    spec.given(funded).when({ ...capture('a', 1), data: { ...capture('a', 1).data, promptTokens: -3 } }).thenThrows('BAD_USER_INPUT');
  });

  function expectCaptured(amount: number): WalletEvent {
    return {
      type: 'FundsCaptured',
      data: {
        userId,
        reservationId: 'a',
        turnId: 't1',
        amount,
        reserved: 200,
        released: 200 - amount,
        model: 'm',
        promptTokens: 100,
        completionTokens: 20,
        price,
        balanceAfter: 500 - amount,
        reservedAfter: 0,
      },
    };
  }
});

describe('ReleaseFunds', () => {
  const funded = [deposited(500, 'r1'), reserved('a', 200, 500)];
  const release = (reservationId: string) =>
    ({ type: 'ReleaseFunds', data: { userId, reservationId, reason: 'turn failed' } }) as const;

  it('gives the whole hold back', () => {
    spec.given(funded).when(release('a')).then([released('a', 200, 500)]);
  });
  it('releases once', () => {
    spec.given([...funded, released('a', 200, 500)]).when(release('a')).thenNothing();
  });
  it('has nothing to release once captured or declined', () => {
    const captured: WalletEvent = {
      type: 'FundsCaptured',
      data: {
        userId, reservationId: 'a', turnId: 't1', amount: 10, reserved: 200, released: 190, model: 'm',
        promptTokens: 100, completionTokens: 20, price, balanceAfter: 490, reservedAfter: 0,
      },
    };
    spec.given([...funded, captured]).when(release('a')).thenNothing();
    const declined: WalletEvent = {
      type: 'ReservationDeclined',
      data: { userId, reservationId: 'd', amount: 900, available: 300, turnId: 't1', balanceAfter: 500, reservedAfter: 200 },
    };
    spec.given([...funded, declined]).when(release('d')).thenNothing();
  });
  it('cannot release an unknown reservation', () => {
    spec.given(funded).when(release('nope')).thenThrows('NOT_FOUND');
  });
});

describe('TransferOut (funding a workspace)', () => {
  const transfer = (amount: number, reference = 'f1', toWalletId = 'w1') =>
    ({ type: 'TransferOut', data: { userId, amount, reference, toWalletId } }) as const;
  const transferred = (amount: number, balanceAfter: number, reservedAfter = 0, reference = 'f1', toWalletId = 'w1'): WalletEvent => ({
    type: 'FundsTransferredOut',
    data: { userId, amount, reference, toWalletId, balanceAfter, reservedAfter },
  });

  it('debits the wallet, recording where the funds go', () => {
    spec.given([deposited(500, 'r1')]).when(transfer(200)).then([transferred(200, 300)]);
  });
  it('may move exactly what is available, never what is held', () => {
    spec.given([deposited(500, 'r1'), reserved('a', 200, 500)]).when(transfer(300)).then([transferred(300, 200, 200)]);
    spec.given([deposited(500, 'r1'), reserved('a', 200, 500)]).when(transfer(301)).thenThrows('INSUFFICIENT_FUNDS');
  });
  it('refuses more than is available with INSUFFICIENT_FUNDS, appending nothing', () => {
    spec.given([]).when(transfer(1)).thenThrows('INSUFFICIENT_FUNDS');
  });
  it('moves funds once per reference', () => {
    spec.given([deposited(500, 'r1'), transferred(200, 300)]).when(transfer(200)).thenNothing();
  });
  it('a repeat is still nothing when the funds have since been spent', () => {
    spec.given([deposited(200, 'r1'), transferred(200, 0)]).when(transfer(200)).thenNothing();
  });
  it('refuses a reference reused for another amount or another wallet', () => {
    spec.given([deposited(500, 'r1'), transferred(200, 300)]).when(transfer(201)).thenThrows('CONFLICT');
    spec.given([deposited(500, 'r1'), transferred(200, 300)]).when(transfer(200, 'f1', 'w2')).thenThrows('CONFLICT');
  });
  it('a transfer reference is not a deposit reference', () => {
    spec.given([deposited(500, 'f1')]).when(transfer(100)).then([transferred(100, 400)]);
  });
  it.each([0, -5, 1.5])('refuses the amount %s', (amount) => {
    spec.given([deposited(500, 'r1')]).when(transfer(amount)).thenThrows('BAD_USER_INPUT');
  });
  it('refuses a transfer to itself and a reference too long to derive a deposit reference from', () => {
    spec.given([deposited(500, 'r1')]).when(transfer(100, 'f1', userId)).thenThrows('BAD_USER_INPUT');
    spec.given([deposited(500, 'r1')]).when(transfer(100, 'x'.repeat(121))).thenThrows('BAD_USER_INPUT');
  });
  it('the funds moved out are gone from later reservations', () => {
    spec
      .given([deposited(500, 'r1'), transferred(400, 100)])
      .when({ type: 'ReserveFunds', data: { userId, reservationId: 'a', amount: 101, turnId: 't1' } })
      .then([{ type: 'ReservationDeclined', data: { userId, reservationId: 'a', amount: 101, available: 100, turnId: 't1', balanceAfter: 100, reservedAfter: 0 } }]);
  });
});
