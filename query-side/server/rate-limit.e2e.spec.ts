import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, testResolvers, type TestServer } from './server.testing.ts';

const LOGIN = 'mutation ($email: String!) { login(email: $email, password: "wrong password") { accessToken } }';

const attempt = (server: TestServer, email: string, ip: string) =>
  server.gql(LOGIN, { email }, { headers: { 'x-forwarded-for': ip } }).then((r) => r.codes[0]);

async function attempts(server: TestServer, n: number, emailOf: (i: number) => string, ipOf: (i: number) => string) {
  const codes: (string | undefined)[] = [];
  for (let i = 0; i < n; i++) codes.push(await attempt(server, emailOf(i), ipOf(i)));
  return codes;
}

function rateLimitSuite(name: string, redis: boolean) {
  describe(name, () => {
    const servers: TestServer[] = [];
    const start = async (namespace = `ka-test-${randomBytes(6).toString('hex')}:`) => {
      const server = await startTestServer({
        resolvers: [testResolvers],
        rateLimitPerMinute: 3,
        trustProxy: true,
        redis,
        rateLimitNamespace: namespace,
      });
      servers.push(server);
      return server;
    };
    afterAll(async () => {
      for (const server of servers) await server.close();
    });

    it('limits login attempts per email, whatever the IP', async () => {
      const server = await start();
      const email = `victim-${randomBytes(3).toString('hex')}@example.com`;
      const codes = await attempts(server, 5, () => email, (i) => `10.0.0.${i + 1}`);
      expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED', 'RATE_LIMITED']);
      // The email is matched case-insensitively, so changing case does not escape the limit.
      expect(await attempt(server, email.toUpperCase(), '10.0.0.99')).toBe('RATE_LIMITED');
    });

    it('limits login attempts per IP, whatever the email', async () => {
      const server = await start();
      const codes = await attempts(server, 4, (i) => `user${i}@example.com`, () => '10.1.1.1');
      expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
      // Another IP with a fresh email is unaffected.
      expect(await attempt(server, 'fresh@example.com', '10.1.1.2')).toBe('UNAUTHENTICATED');
    });

    it('says when to retry', async () => {
      const server = await start();
      await attempts(server, 3, () => 'retry@example.com', (i) => `10.2.0.${i}`);
      const result = await server.gql(LOGIN, { email: 'retry@example.com' }, { headers: { 'x-forwarded-for': '10.2.1.1' } });
      expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
      const retryAfter = result.errors?.[0]?.extensions?.retryAfterSeconds as number;
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    });

    if (redis) {
      it('two api instances on one Redis share the counters', async () => {
        const namespace = `ka-test-${randomBytes(6).toString('hex')}:`;
        const a = await start(namespace);
        const b = await start(namespace);
        const email = 'shared@example.com';
        expect(await attempt(a, email, '10.3.0.1')).toBe('UNAUTHENTICATED');
        expect(await attempt(b, email, '10.3.0.2')).toBe('UNAUTHENTICATED');
        expect(await attempt(a, email, '10.3.0.3')).toBe('UNAUTHENTICATED');
        expect(await attempt(b, email, '10.3.0.4')).toBe('RATE_LIMITED');
      });
    }
  });
}

rateLimitSuite('rate limits in memory', false);
rateLimitSuite('rate limits on Redis', true);

describe('client IP without TRUST_PROXY', () => {
  it('ignores X-Forwarded-For, so it cannot be used to dodge the per-IP limit', async () => {
    const server = await startTestServer({ resolvers: [testResolvers], rateLimitPerMinute: 2 });
    try {
      const codes = await attempts(server, 3, (i) => `spoof${i}@example.com`, (i) => `10.9.9.${i}`);
      expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
    } finally {
      await server.close();
    }
  });
});
