/**
 * Property: whatever sequence of deposits, reservations, captures, releases and transfers out arrives — interleaved across turns,
 * repeated, or plainly wrong — the stream decided from it keeps every wallet invariant, and a refused command
 * appends nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../contracts/errors.ts';
import type { WalletCommand, WalletEvent } from '../../contracts/wallet.ts';
import { walletDecider } from './decider.ts';
import { walletViolations } from './invariants.ts';

const userId = 'u1';
const price = { promptPer1k: 2000, completionPer1k: 6000 };
const reservationId = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');

const command: fc.Arbitrary<WalletCommand> = fc.oneof(
  fc.record({ amount: fc.integer({ min: -5, max: 400 }), reference: fc.constantFrom('r1', 'r2', 'r3', 'r4') }).map(
    ({ amount, reference }) => ({ type: 'Deposit', data: { userId, amount, reference } }) as const,
  ),
  fc.record({ reservationId, amount: fc.integer({ min: 0, max: 300 }) }).map(
    ({ reservationId, amount }) => ({ type: 'ReserveFunds', data: { userId, reservationId, amount, turnId: `t-${reservationId}` } }) as const,
  ),
  fc.record({ reservationId, amount: fc.integer({ min: -1, max: 300 }), tokens: fc.nat(5000) }).map(
    ({ reservationId, amount, tokens }) =>
      ({
        type: 'CaptureFunds',
        data: { userId, reservationId, amount, model: 'm', promptTokens: tokens, completionTokens: tokens >> 2, price },
      }) as const,
  ),
  reservationId.map((reservationId) => ({ type: 'ReleaseFunds', data: { userId, reservationId, reason: 'done' } }) as const),
  // Funding a workspace: the wallet never goes below zero however transfers interleave with holds.
  fc.record({ amount: fc.integer({ min: -5, max: 400 }), reference: fc.constantFrom('f1', 'f2', 'f3'), to: fc.constantFrom('w1', 'w2') }).map(
    ({ amount, reference, to }) => ({ type: 'TransferOut', data: { userId, amount, reference, toWalletId: to } }) as const,
  ),
);

/** A sequence with duplicates: some commands are sent again later, as a retrying client would. */
const withDuplicates = fc
  .tuple(fc.array(command, { maxLength: 60 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }))
  .map(([commands, repeats]) => {
    const out = [...commands];
    for (const [from, to] of repeats) if (commands.length > 0) out.splice(to % (out.length + 1), 0, commands[from % commands.length]!);
    return out;
  });

describe('wallet invariants under random command sequences', () => {
  it('balance equals the ledger sum, nothing closes twice, available never drops below zero', () => {
    fc.assert(
      fc.property(withDuplicates, (commands) => {
        const stream: WalletEvent[] = [];
        let state = walletDecider.initialState();
        for (const cmd of commands) {
          let events: WalletEvent[];
          try {
            events = walletDecider.decide(cmd, state);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            continue;
          }
          expect(events.length).toBeLessThanOrEqual(1);
          stream.push(...events);
          state = events.reduce(walletDecider.evolve, state);
        }
        const { violations } = walletViolations(stream);
        expect(violations).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('a command repeated right after itself appends nothing the second time', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        let state = walletDecider.initialState();
        for (const cmd of commands) {
          let events: WalletEvent[];
          try {
            events = walletDecider.decide(cmd, state);
          } catch {
            continue;
          }
          state = events.reduce(walletDecider.evolve, state);
          expect(walletDecider.decide(cmd, state)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the checker does catch a broken stream', () => {
    const broken: WalletEvent[] = [
      { type: 'FundsDeposited', data: { userId, amount: 10, reference: 'r', balanceAfter: 10, reservedAfter: 0 } },
      { type: 'FundsReserved', data: { userId, reservationId: 'a', amount: 20, turnId: null, balanceAfter: 10, reservedAfter: 20 } },
    ];
    expect(walletViolations(broken).violations).toContainEqual(expect.stringMatching(/available -10 < 0/));
  });
});
