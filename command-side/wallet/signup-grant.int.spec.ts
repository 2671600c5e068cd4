import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { WalletCommandHandler } from './handler.ts';
import { startSignupGrantReactor } from './signup-grant.ts';
import { readWalletEvents, registerTestUser } from './testing.ts';

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(['pglite', 'postgres'] as const)('signup grant reactor on %s', (kind) => {
  let test: TestEventStore & { sql: NonNullable<TestEventStore['sql']> };

  beforeAll(async () => {
    test = await openTestEventStore(kind);
  });
  afterAll(async () => {
    await test?.close();
  });

  const deposits = async (userId: string) =>
    (await readWalletEvents(test.store, userId)).filter((e) => e.type === 'FundsDeposited').map((e) => e.data);

  it('grants each new user once, across restarts and a lost checkpoint', async () => {
    const start = () =>
      startSignupGrantReactor({ store: test.store, wallets: new WalletCommandHandler(test.store), sql: test.sql, grant: 700 });
    const users = [randomUUID(), randomUUID(), randomUUID()];
    for (const userId of users) await registerTestUser(test.store, userId);
    let reactor = await start();
    await eventually(async () => (await Promise.all(users.map(deposits))).every((d) => d.length === 1));
    await reactor.stop();

    const late = randomUUID();
    users.push(late);
    await registerTestUser(test.store, late);
    reactor = await start();
    await eventually(async () => (await deposits(late)).length === 1);
    await reactor.stop();

    // A crash after the deposits but before the checkpoint: everything is seen again, nothing is credited twice.
    await test.sql.query(`DELETE FROM reactor_checkpoints`);
    reactor = await start();
    const head = await test.store.headPosition();
    await eventually(async () => reactor.position() !== '0-0' && (await test.store.headPosition()) === head);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await reactor.stop();
    for (const userId of users) {
      expect(await deposits(userId)).toEqual([
        { userId, amount: 700, reference: `signup-${userId}`, balanceAfter: 700, reservedAfter: 0 },
      ]);
    }
  });
});

describe('signup grant of 0', () => {
  it('deposits nothing', async () => {
    const test = await openTestEventStore('pglite');
    try {
      const userId = randomUUID();
      await registerTestUser(test.store, userId);
      const reactor = await startSignupGrantReactor({ store: test.store, wallets: new WalletCommandHandler(test.store), sql: test.sql, grant: 0 });
      await eventually(async () => reactor.position() !== '0-0');
      await reactor.stop();
      expect(await readWalletEvents(test.store, userId)).toEqual([]);
    } finally {
      await test.close();
    }
  });
});
