import { request as httpRequest } from 'node:http';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from './tokens.ts';
import { TEST_SIGNING_KEY, startTestServer, testResolvers, type TestServer } from '../server/server.testing.ts';
import type { TestSubscription } from '../../ops/testing/graphql-clients.ts';

const alice = { id: 'alice', role: 'member' as const, email: 'alice@example.com' };
const ME = '{ me { id email role } }';
const WALLET_UPDATED = 'subscription { walletUpdated { userId balance } }';

/** Publishes until the subscription has received something (graphql-ws does not say when it is live). */
async function firstResult(server: TestServer, subscription: TestSubscription, userId: string) {
  const timer = setInterval(() => {
    void server.bus.publish(`test-wallet:${userId}`, {
      walletUpdated: { userId, balance: 7, reserved: 0, available: 7, ledger: [] },
    });
  }, 50);
  try {
    return await subscription.next(5000);
  } finally {
    clearInterval(timer);
  }
}

async function badTokens(): Promise<Record<string, string>> {
  const valid = createTokenService({ key: TEST_SIGNING_KEY, accessTokenTtlSeconds: 900 });
  const expired = await createTokenService({
    key: TEST_SIGNING_KEY,
    accessTokenTtlSeconds: 900,
    now: () => Date.now() - 3600_000,
  }).issueAccessToken(alice);
  const wrongKey = await createTokenService({
    key: new TextEncoder().encode('another-key-another-key-another-key!'),
    accessTokenTtlSeconds: 900,
  }).issueAccessToken(alice);
  const [header, payload, signature] = (await valid.issueAccessToken(alice)).split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
  const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`;
  const algNone = new UnsecuredJWT({ role: 'admin', email: alice.email })
    .setSubject(alice.id)
    .setIssuer('knowledge-assistant')
    .setAudience('knowledge-assistant-api')
    .setIssuedAt()
    .setExpirationTime('1h')
    .encode();
  const hs512 = await new SignJWT({ role: 'member', email: alice.email })
    .setProtectedHeader({ alg: 'HS512' })
    .setSubject(alice.id)
    .setIssuer('knowledge-assistant')
    .setAudience('knowledge-assistant-api')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('x'.repeat(64)));
  const ghost = await valid.issueAccessToken({ id: 'ghost', role: 'member', email: 'ghost@example.com' });
  return { expired, wrongKey, forged, algNone, hs512, ghost, garbage: 'not.a.jwt' };
}

describe('bearer tokens', () => {
  let server: TestServer;
  let token: string;
  let bad: Record<string, string>;
  beforeAll(async () => {
    server = await startTestServer({
      resolvers: [testResolvers],
      // The user store knows alice only: a valid signature for anyone else is an unknown user.
      resolveUser: async (claims) => (claims.id === alice.id ? alice : undefined),
    });
    token = await server.tokens.issueAccessToken(alice);
    bad = await badTokens();
  });
  afterAll(async () => server.close());

  describe('over HTTP', () => {
    it('a valid token identifies the caller; no header is anonymous', async () => {
      expect((await server.gql(ME, {}, token)).data).toEqual({ me: alice });
      expect((await server.gql(ME)).data).toEqual({ me: null });
    });

    it.each(['expired', 'wrongKey', 'forged', 'algNone', 'hs512', 'ghost', 'garbage'])(
      'a %s token is UNAUTHENTICATED (401), never anonymous',
      async (kind) => {
        const result = await server.gql(ME, {}, bad[kind]);
        expect(result.status).toBe(401);
        expect(result.codes).toEqual(['UNAUTHENTICATED']);
        expect(result.data ?? null).toBeNull();
      },
    );

    it.each(['Basic YWxpY2U6cw==', 'Bearer', 'Bearer a b', '', 'token-without-scheme'])(
      'a malformed Authorization header %j is UNAUTHENTICATED',
      async (authorization) => {
        const result = await server.gql(ME, {}, { headers: { authorization } });
        expect(result.codes).toEqual(['UNAUTHENTICATED']);
      },
    );

    it('an Upgrade header on a plain POST does not skip the check', async () => {
      // fetch refuses to send Upgrade; node:http does.
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(
          `${server.url}/graphql`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${bad.forged}`, upgrade: 'websocket' },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
          },
        );
        request.on('error', reject);
        request.end(JSON.stringify({ query: ME }));
      });
      expect(status).toBe(401);
      expect(body).toContain('UNAUTHENTICATED');
    });

    it('the message of an expired token says so', async () => {
      const result = await server.gql(ME, {}, bad.expired);
      expect(result.errors?.[0]?.message).toMatch(/expired/);
    });
  });

  describe('over WebSocket (graphql-ws)', () => {
    it('a valid token in connection_init: the subscription runs as that user', async () => {
      const subscription = server.subscribe(WALLET_UPDATED, {}, { token });
      expect((await firstResult(server, subscription, alice.id)).data).toEqual({
        walletUpdated: { userId: alice.id, balance: 7 },
      });
      await subscription.close();
    });

    it('a valid token in the upgrade request header works too', async () => {
      const subscription = server.subscribe(WALLET_UPDATED, {}, { headers: { authorization: `Bearer ${token}` } });
      expect((await firstResult(server, subscription, alice.id)).data?.walletUpdated).toBeTruthy();
      await subscription.close();
    });

    it.each(['expired', 'wrongKey', 'forged', 'algNone', 'ghost', 'garbage'])(
      'a %s token in connection_init refuses the connection',
      async (kind) => {
        const subscription = server.subscribe(WALLET_UPDATED, {}, { token: bad[kind] });
        await expect(subscription.done).rejects.toThrow();
        expect(subscription.received).toEqual([]);
      },
    );

    it('a malformed authorization value in connection_init refuses the connection', async () => {
      const subscription = server.subscribe(WALLET_UPDATED, {}, { connectionParams: { authorization: 'Basic abc' } });
      await expect(subscription.done).rejects.toThrow();
    });

    it.each(['expired', 'forged', 'algNone'])('a %s token in the upgrade header refuses the upgrade', async (kind) => {
      const subscription = server.subscribe(WALLET_UPDATED, {}, { headers: { authorization: `Bearer ${bad[kind]}` } });
      await expect(subscription.done).rejects.toThrow();
      expect(subscription.received).toEqual([]);
    });

    it('an invalid connection_init token is not rescued by a valid upgrade header', async () => {
      const subscription = server.subscribe(WALLET_UPDATED, {}, {
        token: bad.forged,
        headers: { authorization: `Bearer ${token}` },
      });
      await expect(subscription.done).rejects.toThrow();
    });

    it('anonymous: the subscription itself fails with UNAUTHENTICATED', async () => {
      const subscription = server.subscribe(WALLET_UPDATED, {});
      const error = await subscription.done.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(String(error)).toContain('UNAUTHENTICATED');
    });
  });
});
