import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../contracts/errors.ts';
import { createTokenService } from './tokens.ts';

const key = new TextEncoder().encode('k'.repeat(32));
const otherKey = new TextEncoder().encode('o'.repeat(32));
const user = { id: 'u1', role: 'member' as const, email: 'a@example.com' };

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
}

describe('access tokens', () => {
  const tokens = createTokenService({ key, accessTokenTtlSeconds: 900 });

  it('round-trips the user', async () => {
    const token = await tokens.issueAccessToken(user);
    expect(await tokens.verifyAccessToken(token)).toEqual(user);
  });

  it('expires after the TTL', async () => {
    let now = Date.UTC(2026, 0, 1);
    const clocked = createTokenService({ key, accessTokenTtlSeconds: 900, now: () => now });
    const token = await clocked.issueAccessToken(user);
    now += 899_000;
    expect(await clocked.verifyAccessToken(token)).toEqual(user);
    now += 2_000;
    expect(await rejection(clocked.verifyAccessToken(token))).toBe('UNAUTHENTICATED');
  });

  it('keeps refusing altered copies of a token it has verified (verdicts are kept per exact text)', async () => {
    const token = await tokens.issueAccessToken(user);
    expect(await tokens.verifyAccessToken(token)).toEqual(user);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const raised = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expect(await rejection(tokens.verifyAccessToken(`${header}.${raised}.${signature}`))).toBe('UNAUTHENTICATED');
    expect(await rejection(tokens.verifyAccessToken(`${token}x`))).toBe('UNAUTHENTICATED');
    expect(await tokens.verifyAccessToken(token)).toEqual(user);
  });

  it('refuses a token signed with another key', async () => {
    const forged = await createTokenService({ key: otherKey, accessTokenTtlSeconds: 900 }).issueAccessToken(user);
    expect(await rejection(tokens.verifyAccessToken(forged))).toBe('UNAUTHENTICATED');
  });

  it('refuses alg none', async () => {
    const unsecured = new UnsecuredJWT({ role: 'admin', email: 'x@example.com' })
      .setSubject('u1')
      .setIssuer('knowledge-assistant')
      .setAudience('knowledge-assistant-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();
    expect(await rejection(tokens.verifyAccessToken(unsecured))).toBe('UNAUTHENTICATED');
  });

  it('refuses a tampered payload (role raised to admin)', async () => {
    const [header, payload, signature] = (await tokens.issueAccessToken(user)).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const raised = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expect(await rejection(tokens.verifyAccessToken(`${header}.${raised}.${signature}`))).toBe('UNAUTHENTICATED');
  });

  it('refuses a correctly signed token without our claims (other issuer, bad role)', async () => {
    const foreign = await new SignJWT({ role: 'admin', email: 'a@example.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('someone-else')
      .setAudience('knowledge-assistant-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
    expect(await rejection(tokens.verifyAccessToken(foreign))).toBe('UNAUTHENTICATED');
    const badRole = await new SignJWT({ role: 'root', email: 'a@example.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('knowledge-assistant')
      .setAudience('knowledge-assistant-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
    expect(await rejection(tokens.verifyAccessToken(badRole))).toBe('UNAUTHENTICATED');
  });

  it('refuses garbage', async () => {
    expect(await rejection(tokens.verifyAccessToken('not-a-jwt'))).toBe('UNAUTHENTICATED');
    expect(await rejection(tokens.verifyAccessToken(''))).toBe('UNAUTHENTICATED');
  });
});
