import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, testResolvers, type TestServer } from './server.testing.ts';

const WALLET_UPDATED = 'subscription { walletUpdated { userId balance } }';
const wallet = (balance: number) => ({
  walletUpdated: { userId: 'u1', balance, reserved: 0, available: balance, ledger: [] },
});

describe('subscriptions over graphql-ws', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({ resolvers: [testResolvers], subscriptionMaxQueued: 50 });
    token = await server.tokens.issueAccessToken({ id: 'u1', role: 'member', email: 'u1@example.com' });
  });
  afterAll(async () => server.close());

  /** Publishes until the subscription is live (graphql-ws gives no acknowledgement of a subscription). */
  async function live(subscription: ReturnType<TestServer['subscribe']>) {
    const timer = setInterval(() => void server.bus.publish('test-wallet:u1', wallet(0)), 50);
    try {
      await subscription.next(5000);
    } finally {
      clearInterval(timer);
    }
    // Drain the warm-up messages still in flight: wait until none arrives for 150 ms.
    while (await subscription.next(150).then(() => true, () => false));
  }

  it('delivers published events in order', async () => {
    const subscription = server.subscribe<{ walletUpdated: { balance: number } }>(WALLET_UPDATED, {}, { token });
    await live(subscription);
    for (let i = 1; i <= 20; i++) await server.bus.publish('test-wallet:u1', wallet(i));
    const balances: number[] = [];
    while (balances.length < 20) {
      const result = await subscription.next(5000);
      balances.push(result.data!.walletUpdated.balance);
    }
    expect(balances).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await subscription.close();
  });

  it('ends a subscription whose client falls too far behind (bounded queue), with SLOW_CONSUMER', async () => {
    const subscription = server.subscribe(WALLET_UPDATED, {}, { token });
    await live(subscription);
    // One synchronous burst: far more than 50 messages are queued before the socket can drain any.
    for (let i = 0; i < 2000; i++) void server.bus.publish('test-wallet:u1', wallet(i));
    const outcome = await subscription.done.then(
      () => 'completed',
      (error: unknown) => String(error),
    );
    expect(outcome).toContain('SLOW_CONSUMER');
    expect(subscription.received.length).toBeLessThan(2000);
  });
});

describe('two api instances sharing Redis (mqemitter-redis)', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    [a, b] = await Promise.all([
      startTestServer({ resolvers: [testResolvers], redis: true }),
      startTestServer({ resolvers: [testResolvers], redis: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('an event published on one instance reaches a WebSocket subscriber of the other', async () => {
    const userId = `redis-${Date.now()}`;
    const token = await a.tokens.issueAccessToken({ id: userId, role: 'member', email: 'r@example.com' });
    const subscription = a.subscribe<{ walletUpdated: { userId: string; balance: number } }>(WALLET_UPDATED, {}, { token });
    const timer = setInterval(() => {
      void b.bus.publish(`test-wallet:${userId}`, {
        walletUpdated: { userId, balance: 42, reserved: 0, available: 42, ledger: [] },
      });
    }, 50);
    try {
      const result = await subscription.next(10_000);
      expect(result.data?.walletUpdated).toEqual({ userId, balance: 42 });
    } finally {
      clearInterval(timer);
      await subscription.close();
    }
  });
});
