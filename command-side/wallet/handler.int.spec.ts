/**
 * The wallet handler against the real event stores: concurrent reservations never overdraw, repeats and bad input
 * append nothing, and several handler instances (as separate processes would) stay correct through the expected
 * revision.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../contracts/errors.ts';
import type { WalletCommand } from '../../contracts/wallet.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { decideAndAppendAll } from '../decider.ts';
import { WalletCommandHandler, type WalletCommandResult } from './handler.ts';
import { walletViolations } from './invariants.ts';
import { readWalletEvents, registerTestUser } from './testing.ts';

const price = { promptPer1k: 1000, completionPer1k: 2000 };

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).code;
  }
}

describe.each(['pglite', 'postgres'] as const)('wallet handler on %s', (kind) => {
  let test: TestEventStore;

  beforeAll(async () => {
    test = await openTestEventStore(kind);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('1,000 concurrent reservations against funds for exactly 100: 100 reserved, 900 declined, never overdrawn', async () => {
    const userId = randomUUID();
    await registerTestUser(test.store, userId);
    // Four handlers stand for four processes: they meet only at the store's expected revision.
    const handlers = Array.from({ length: 4 }, () => new WalletCommandHandler(test.store));
    await handlers[0]!.execute({ type: 'Deposit', data: { userId, amount: 100 * 70, reference: 'topup' } });
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        handlers[i % handlers.length]!.execute({
          type: 'ReserveFunds',
          data: { userId, reservationId: `r${i}`, amount: 70, turnId: `t${i}` },
        }),
      ),
    );
    const outcomes = results.map((r) => r.events[0]!.type);
    expect(outcomes.filter((t) => t === 'FundsReserved')).toHaveLength(100);
    expect(outcomes.filter((t) => t === 'ReservationDeclined')).toHaveLength(900);

    const events = await readWalletEvents(test.store, userId);
    expect(events).toHaveLength(1001);
    const { violations, state } = walletViolations(events);
    expect(violations).toEqual([]);
    expect(state).toMatchObject({ balance: 7000, reserved: 7000 });
  });

  it('a repeated command returns its first outcome and appends nothing, also from another handler', async () => {
    const userId = randomUUID();
    await registerTestUser(test.store, userId);
    const [a, b] = [new WalletCommandHandler(test.store), new WalletCommandHandler(test.store)];
    await a.execute({ type: 'Deposit', data: { userId, amount: 1000, reference: 'r1' } });
    expect((await b.execute({ type: 'Deposit', data: { userId, amount: 1000, reference: 'r1' } })).events).toEqual([]);
    const reserve: WalletCommand = { type: 'ReserveFunds', data: { userId, reservationId: 'x', amount: 600, turnId: 't' } };
    const first = await a.execute(reserve);
    expect((await a.execute(reserve)).events).toEqual([]);
    // b decides on its older cached state; the store then holds exactly that decision already (same content, same
    // id), so b's append is a no-op and b reports the same outcome.
    const again = await b.execute(reserve);
    expect(again.state.reservations.get('x')).toEqual(first.state.reservations.get('x'));
    expect(again.position).toBe(first.position);
    const capture: WalletCommand = {
      type: 'CaptureFunds',
      data: { userId, reservationId: 'x', amount: 250, model: 'm', promptTokens: 10, completionTokens: 120, price },
    };
    await Promise.all([a.execute(capture), b.execute(capture), a.execute(capture)]);
    const events = await readWalletEvents(test.store, userId);
    expect(events.map((e) => e.type)).toEqual(['FundsDeposited', 'FundsReserved', 'FundsCaptured']);
    expect(walletViolations(events).state).toMatchObject({ balance: 750, reserved: 0 });
  });

  it('decides ahead for a write of several streams: the decision shown is the one written, and a stale one is decided again', async () => {
    const userId = randomUUID();
    await registerTestUser(test.store, userId);
    const [here, elsewhere] = [new WalletCommandHandler(test.store), new WalletCommandHandler(test.store)];
    await here.execute({ type: 'Deposit', data: { userId, amount: 1000, reference: 'seed' } });
    const reserve = (reservationId: string, amount: number): WalletCommand => ({
      type: 'ReserveFunds',
      data: { userId, reservationId, amount, turnId: reservationId },
    });
    // Written with another stream's events in one appendMany: both or neither.
    const ahead = await here.decideAhead(reserve('a', 600));
    expect(ahead.events.map((e) => e.type)).toEqual(['FundsReserved']);
    const other = { streamId: `other-${userId}`, decide: async () => ({ revision: -1, events: [{ type: 'Noted', data: {} }], complete: () => 'noted' }) };
    const [written] = (await decideAndAppendAll(test.store, [ahead.part, other])) as WalletCommandResult[];
    expect(written!.events).toEqual(ahead.events);
    // The handler's own view moved with it: the next command appends at the right revision without a conflict.
    expect((await here.execute(reserve('b', 300))).events.map((e) => e.type)).toEqual(['FundsReserved']);

    // Decided on a wallet another handler changed since: the write conflicts, and the part decides again.
    const stale = await here.decideAhead(reserve('c', 100));
    await elsewhere.execute(reserve('d', 100));
    const [again] = (await decideAndAppendAll(test.store, [stale.part])) as WalletCommandResult[];
    expect(again!.events).toMatchObject([{ type: 'ReservationDeclined', data: { reservationId: 'c', available: 0 } }]);
    const { violations, state } = walletViolations(await readWalletEvents(test.store, userId));
    expect(violations).toEqual([]);
    expect(state).toMatchObject({ balance: 1000, reserved: 1000 });
  });

  it('refuses bad input with typed errors and appends nothing', async () => {
    const userId = randomUUID();
    await registerTestUser(test.store, userId);
    const wallets = new WalletCommandHandler(test.store);
    await wallets.execute({ type: 'Deposit', data: { userId, amount: 1000, reference: 'r1' } });
    await wallets.execute({ type: 'ReserveFunds', data: { userId, reservationId: 'a', amount: 100 } });
    await wallets.execute({ type: 'ReserveFunds', data: { userId, reservationId: 'b', amount: 100 } });
    await wallets.execute({ type: 'ReleaseFunds', data: { userId, reservationId: 'b', reason: 'turn failed' } });
    const before = await readWalletEvents(test.store, userId);
    const capture = (reservationId: string, amount: number): WalletCommand => ({
      type: 'CaptureFunds',
      data: { userId, reservationId, amount, model: 'm', promptTokens: 1, completionTokens: 1, price },
    });
    expect(await codeOf(wallets.execute({ type: 'Deposit', data: { userId, amount: -5, reference: 'n' } }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(wallets.execute({ type: 'Deposit', data: { userId, amount: 0, reference: 'z' } }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(wallets.execute({ type: 'Deposit', data: { userId, amount: 2.5, reference: 'f' } }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(wallets.execute({ type: 'ReserveFunds', data: { userId, reservationId: 'c', amount: -1 } }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(wallets.execute(capture('a', 101)))).toBe('BAD_USER_INPUT');
    expect(await codeOf(wallets.execute(capture('b', 10)))).toBe('CONFLICT');
    expect(await codeOf(wallets.execute(capture('nope', 10)))).toBe('NOT_FOUND');
    expect(await readWalletEvents(test.store, userId)).toEqual(before);

    const stranger = randomUUID();
    expect(await codeOf(wallets.execute({ type: 'Deposit', data: { userId: stranger, amount: 5, reference: 'r' } }))).toBe('NOT_FOUND');
    expect(await readWalletEvents(test.store, stranger)).toEqual([]);
  });

  it('gives up with a typed CONFLICT once its retries are spent, having appended nothing', async () => {
    const userId = randomUUID();
    await registerTestUser(test.store, userId);
    const stubborn = new WalletCommandHandler(test.store, { maxRetries: 0 });
    const other = new WalletCommandHandler(test.store);
    await stubborn.execute({ type: 'Deposit', data: { userId, amount: 500, reference: 'r1' } });
    await other.execute({ type: 'Deposit', data: { userId, amount: 500, reference: 'r2' } });
    // stubborn's cached revision is now stale: its one attempt is refused by the store.
    const refused = stubborn.execute({ type: 'ReserveFunds', data: { userId, reservationId: 'a', amount: 900 } });
    expect(await codeOf(refused)).toBe('CONFLICT');
    expect((await readWalletEvents(test.store, userId)).map((e) => e.type)).toEqual(['FundsDeposited', 'FundsDeposited']);
    // The next command reads the newer events first and succeeds.
    const retried = await stubborn.execute({ type: 'ReserveFunds', data: { userId, reservationId: 'a', amount: 900 } });
    expect(retried.events.map((e) => e.type)).toEqual(['FundsReserved']);
  });

  it('property: random interleavings with duplicates across two handlers keep every invariant', async () => {
    const rid = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    const userId = 'placeholder';
    const command: fc.Arbitrary<WalletCommand> = fc.oneof(
      fc.record({ amount: fc.integer({ min: 1, max: 300 }), reference: fc.constantFrom('r1', 'r2', 'r3') }).map(
        (d) => ({ type: 'Deposit', data: { userId, ...d } }) as const,
      ),
      fc.record({ reservationId: rid, amount: fc.integer({ min: 1, max: 250 }) }).map(
        (d) => ({ type: 'ReserveFunds', data: { userId, ...d, turnId: `t-${d.reservationId}` } }) as const,
      ),
      fc.record({ reservationId: rid, amount: fc.integer({ min: 0, max: 250 }) }).map(
        (d) => ({ type: 'CaptureFunds', data: { userId, ...d, model: 'm', promptTokens: 3, completionTokens: 4, price } }) as const,
      ),
      rid.map((reservationId) => ({ type: 'ReleaseFunds', data: { userId, reservationId, reason: 'r' } }) as const),
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(command, { maxLength: 8 }), { minLength: 1, maxLength: 4 }), async (waves) => {
        runs++;
        // A fresh wallet per run (also per shrinking step).
        const owner = randomUUID();
        await registerTestUser(test.store, owner);
        const handlers = [new WalletCommandHandler(test.store), new WalletCommandHandler(test.store)];
        // Each wave runs concurrently (twice over: every command is duplicated), waves run in order.
        for (const wave of waves) {
          const commands = wave.map((cmd) => ({ ...cmd, data: { ...cmd.data, userId: owner } }) as WalletCommand);
          await Promise.allSettled([...commands, ...commands].map((cmd, i) => handlers[i % 2]!.execute(cmd)));
        }
        const { violations } = walletViolations(await readWalletEvents(test.store, owner));
        expect(violations).toEqual([]);
      }),
      { numRuns: 25 },
    );
    expect(runs).toBeGreaterThanOrEqual(25);
  });
});
