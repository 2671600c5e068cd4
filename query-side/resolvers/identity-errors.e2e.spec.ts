import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVALID_CREDENTIALS } from '../../contracts/identity.ts';
import { createTokenService } from '../auth/tokens.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { CREATE_KB, LOGIN, ME, PASSWORD, REFRESH, REGISTER, register, type Session } from './identity.testing.ts';

const JWT_SECRET = 'e2e-secret-e2e-secret-e2e-secret-42';
const key = new TextEncoder().encode(JWT_SECRET);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('identity: bad input and bad tokens change nothing', () => {
  let app: TestApp;
  let admin: Session;
  let member: Session;
  let head: string;

  beforeAll(async () => {
    // No signup grant: its deposits land asynchronously after a registration and would move the head under the checks.
    app = await startTestApp({ env: { JWT_SECRET, RATE_LIMIT_AUTH_PER_MINUTE: '1000', SIGNUP_GRANT: '0' } });
    admin = await register(app, 'admin@example.com');
    member = await register(app, 'member@example.com');
    head = await app.app.eventStore.headPosition();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const expectNothingAppended = async () => expect(await app.app.eventStore.headPosition()).toBe(head);

  it.each([
    ['an invalid email', { email: 'not-an-email', password: PASSWORD }, 'BAD_USER_INPUT', /email/],
    ['a password under 8 characters', { email: 'new@example.com', password: 'short' }, 'BAD_USER_INPUT', /at least 8/],
    ['a duplicate email', { email: 'MEMBER@example.com', password: PASSWORD }, 'CONFLICT', /already registered/],
  ])('register with %s', async (_name, variables, code, message) => {
    const result = await app.gql(REGISTER, variables);
    expect(result.codes).toEqual([code]);
    expect(result.errors![0]!.message).toMatch(message);
    expect(result.data).toBeNull();
    await expectNothingAppended();
  });

  it('wrong password and unknown email give the same error', async () => {
    const wrong = await app.gql(LOGIN, { email: 'member@example.com', password: 'not the password' });
    const unknown = await app.gql(LOGIN, { email: 'nobody@example.com', password: 'not the password' });
    expect(wrong.codes).toEqual(['UNAUTHENTICATED']);
    expect(wrong.errors![0]!.message).toBe(INVALID_CREDENTIALS);
    expect(unknown.errors).toEqual(wrong.errors);
    await expectNothingAppended();
  });

  it('a forged or malformed refresh token is UNAUTHENTICATED', async () => {
    for (const refreshToken of ['nonsense', `${member.user.id}.${'x'.repeat(43)}`, `${randomUUID()}.${member.refreshToken.split('.')[1]}`]) {
      expect((await app.gql(REFRESH, { refreshToken })).codes).toEqual(['UNAUTHENTICATED']);
    }
    await expectNothingAppended();
  });

  it('expired, forged, alg-none, wrong-key and unknown-user access tokens are UNAUTHENTICATED', async () => {
    const claims = { id: member.user.id, role: 'member' as const, email: member.user.email };
    const expired = await createTokenService({ key, accessTokenTtlSeconds: 60, now: () => Date.now() - 3_600_000 }).issueAccessToken(claims);
    const wrongKey = await createTokenService({ key: new TextEncoder().encode('x'.repeat(40)), accessTokenTtlSeconds: 60 }).issueAccessToken(claims);
    const unknownUser = await createTokenService({ key, accessTokenTtlSeconds: 60 }).issueAccessToken({ ...claims, id: randomUUID() });
    const [header, payload, signature] = member.accessToken.split('.') as [string, string, string];
    const elevated = b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' });
    const forged = `${header}.${elevated}.${signature}`;
    const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${elevated}.`;

    for (const token of [expired, wrongKey, unknownUser, forged, algNone, 'not.a.jwt']) {
      const me = await app.gql(ME, {}, token);
      expect(me.codes, token).toEqual(['UNAUTHENTICATED']);
      expect(me.data ?? null).toBeNull();
      expect((await app.gql(CREATE_KB, { name: 'sneaky' }, token)).codes).toEqual(['UNAUTHENTICATED']);
    }
    const notBearer = await app.gql(ME, {}, { headers: { authorization: `Basic ${member.accessToken}` } });
    expect(notBearer.codes).toEqual(['UNAUTHENTICATED']);
    await expectNothingAppended();
  });

  it('a bad token in connection_init refuses the WebSocket', async () => {
    const subscription = app.subscribe(ME, {}, `${member.accessToken}x`);
    await expect(subscription.next()).rejects.toThrow();
  });

  it('anonymous callers cannot create knowledge bases; bad names are BAD_USER_INPUT', async () => {
    expect((await app.gql(CREATE_KB, { name: 'anon' })).codes).toEqual(['UNAUTHENTICATED']);
    expect((await app.gql(CREATE_KB, { name: '   ' }, admin.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    expect((await app.gql(CREATE_KB, { name: 'x'.repeat(201) }, admin.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    await expectNothingAppended();
  });
});
