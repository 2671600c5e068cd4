import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventData } from '../../contracts/eventstore.ts';
import type { Position } from '../../contracts/position.ts';
import { walletStream } from '../../contracts/streams.ts';
import type { WalletEvent } from '../../contracts/wallet.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { createProjectionRuntime, rebuildProjection, verifyRebuild, type ProjectionRuntime } from '../runtime/index.ts';
import { walletProjector } from './wallet-projector.ts';
import { findWallet, listLedger } from './wallet-read-model.ts';

const price = { promptPer1k: 800, completionPer1k: 2000 };

/** The stream a wallet decider would write for: deposit 1000, reserve 300, capture 120, reserve 900 (declined), reserve 200, release 200. */
function story(userId: string): WalletEvent[] {
  return [
    { type: 'FundsDeposited', data: { userId, amount: 1000, reference: `signup-${userId}`, balanceAfter: 1000, reservedAfter: 0 } },
    { type: 'FundsReserved', data: { userId, reservationId: 'a', amount: 300, turnId: 't1', balanceAfter: 1000, reservedAfter: 300 } },
    {
      type: 'FundsCaptured',
      data: {
        userId, reservationId: 'a', turnId: 't1', amount: 120, reserved: 300, released: 180, model: 'qwen-plus',
        promptTokens: 50, completionTokens: 40, price, balanceAfter: 880, reservedAfter: 0,
      },
    },
    { type: 'ReservationDeclined', data: { userId, reservationId: 'b', amount: 900, available: 880, turnId: 't2', balanceAfter: 880, reservedAfter: 0 } },
    { type: 'FundsReserved', data: { userId, reservationId: 'c', amount: 200, turnId: 't3', balanceAfter: 880, reservedAfter: 200 } },
    { type: 'FundsReleased', data: { userId, reservationId: 'c', turnId: 't3', amount: 200, reason: 'turn failed', balanceAfter: 880, reservedAfter: 0 } },
  ];
}

describe.each(['pglite', 'postgres'] as const)('wallets projection on %s', (kind) => {
  let test: TestEventStore & { sql: NonNullable<TestEventStore['sql']> };
  let runtime: ProjectionRuntime;
  const alice = randomUUID();
  const bob = randomUUID();
  let head: Position;

  beforeAll(async () => {
    test = await openTestEventStore(kind);
    runtime = createProjectionRuntime({ sql: test.sql, eventStore: test.store, projectors: [walletProjector], logger: pino({ level: 'silent' }) });
    await runtime.start();
    const events = story(alice);
    // Appended in several writes, interleaved with another wallet and with unrelated events.
    await test.store.append(walletStream(alice), events.slice(0, 2) as EventData[], 'no_stream');
    await test.store.append(walletStream(bob), [story(bob)[0]!] as EventData[], 'no_stream');
    await test.store.append('user-x', [{ type: 'UserRegistered', data: { userId: 'x' } }], 'any');
    head = (await test.store.append(walletStream(alice), events.slice(2) as EventData[], 1)).position;
    await runtime.waitForPosition(head, { timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await runtime?.stop();
    await test?.close();
  });

  it('keeps the wallet row at the newest balance and reserved amount', async () => {
    expect(await findWallet(test.sql, alice)).toMatchObject({ userId: alice, balance: 880, reserved: 0, available: 880, revision: 5, position: head });
    expect(await findWallet(test.sql, bob)).toMatchObject({ balance: 1000, reserved: 0, available: 1000 });
    expect(await findWallet(test.sql, 'nobody')).toBeUndefined();
  });

  it('writes one ledger line per event, with running balance, and pages by position', async () => {
    const lines = await listLedger(test.sql, alice, { limit: 50 });
    expect(lines.map((l) => [l.kind, l.amount, l.balanceAfter])).toEqual([
      ['deposit', 1000, 1000],
      ['reserve', 300, 1000],
      ['capture', 120, 880],
      ['decline', 900, 880],
      ['reserve', 200, 880],
      ['release', 200, 880],
    ]);
    expect(lines[2]).toMatchObject({ model: 'qwen-plus', promptTokens: 50, completionTokens: 40, promptPricePer1k: 800, completionPricePer1k: 2000, released: 180, turnId: 't1' });
    expect(lines[0]).toMatchObject({ reference: `signup-${alice}`, turnId: null });
    const deposits = lines.filter((l) => l.kind === 'deposit').reduce((sum, l) => sum + l.amount, 0);
    const captures = lines.filter((l) => l.kind === 'capture').reduce((sum, l) => sum + l.amount, 0);
    expect(deposits - captures).toBe(880);

    const first = await listLedger(test.sql, alice, { limit: 4 });
    const rest = await listLedger(test.sql, alice, { limit: 4, after: first.at(-1)!.position });
    expect([...first, ...rest]).toEqual(lines);
    await expect(listLedger(test.sql, alice, { after: 'nonsense' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(listLedger(test.sql, alice, { limit: 0 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('says who asked on the lines of a turn (the metadata\'s asker, else the wallet\'s holder), and records transfers out', async () => {
    expect((await listLedger(test.sql, alice)).map((line) => line.askedBy)).toEqual([null, alice, alice, alice, alice, alice]);
    const owner = randomUUID();
    const team = randomUUID();
    const member = randomUUID();
    await test.store.append(walletStream(owner), [
      { type: 'FundsDeposited', data: { userId: owner, amount: 1000, reference: 'seed', balanceAfter: 1000, reservedAfter: 0 } },
      { type: 'FundsTransferredOut', data: { userId: owner, amount: 400, reference: 'f1', toWalletId: team, balanceAfter: 600, reservedAfter: 0 } },
    ], 'no_stream');
    const deposit = { type: 'FundsDeposited', data: { userId: team, amount: 400, reference: `transfer-${owner}-f1`, balanceAfter: 400, reservedAfter: 0 } };
    const hold = { type: 'FundsReserved', data: { userId: team, reservationId: 'turn-t9', amount: 50, turnId: 't9', balanceAfter: 400, reservedAfter: 50 } };
    const { position } = await test.store.append(walletStream(team), [deposit, { ...hold, metadata: { userId: member } }], 'no_stream');
    await runtime.waitForPosition(position, { timeoutMs: 10_000 });
    expect((await listLedger(test.sql, owner)).map((l) => [l.kind, l.amount, l.balanceAfter, l.reference, l.askedBy])).toEqual([
      ['deposit', 1000, 1000, 'seed', null],
      ['transfer', 400, 600, 'f1', null],
    ]);
    expect((await listLedger(test.sql, team)).map((l) => [l.kind, l.amount, l.askedBy])).toEqual([
      ['deposit', 400, null],
      ['reserve', 50, member],
    ]);
    expect(await findWallet(test.sql, team)).toMatchObject({ balance: 400, reserved: 50, available: 350 });
  });

  it('replaying every event again, even out of order, changes nothing', async () => {
    const snapshot = async () => ({
      wallets: await test.sql.query(`SELECT * FROM wallets ORDER BY user_id`),
      ledger: await test.sql.query(`SELECT * FROM wallet_ledger ORDER BY user_id, revision`),
    });
    const before = await snapshot();
    const events = (await test.store.readAll()).filter((e) => e.streamId.startsWith('wallet-'));
    const ctx = { projector: walletProjector.name, rebuilding: false };
    await test.sql.transaction((tx) => walletProjector.handle(events, tx, ctx));
    await test.sql.transaction((tx) => walletProjector.handle([...events].reverse(), tx, ctx));
    expect(await snapshot()).toEqual(before);
  });

  it('a rebuild from the log equals the live tables', async () => {
    const target = { sql: test.sql, eventStore: test.store, projector: walletProjector };
    const rebuilt = await rebuildProjection(target);
    const verdict = await verifyRebuild({ ...target, schema: rebuilt.schema });
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ equal: true });
  });
});
