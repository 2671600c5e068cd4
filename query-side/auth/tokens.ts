/**
 * Access tokens: short-lived HS256 JWTs (jose). Only HS256 is accepted, so `alg: none` and tokens signed for
 * another algorithm fail verification. Refresh tokens are IDENTITY's (opaque, rotated through events).
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { DomainError } from '../../contracts/errors.ts';
import { rememberFound } from '../../contracts/remember-found.ts';

export type Role = 'admin' | 'member';

export interface AuthUser {
  id: string;
  role: Role;
  email: string;
}

export interface TokenService {
  /** A signed access token for the user, valid for the configured TTL. */
  issueAccessToken(user: AuthUser): Promise<string>;
  /** The claims of a valid token; throws DomainError UNAUTHENTICATED otherwise. */
  verifyAccessToken(token: string): Promise<AuthUser>;
  readonly accessTokenTtlSeconds: number;
}

const ISSUER = 'knowledge-assistant';
const AUDIENCE = 'knowledge-assistant-api';
const ALGORITHM = 'HS256';

export interface TokenServiceOptions {
  key: Uint8Array;
  accessTokenTtlSeconds: number;
  /** Injected clock (ms since epoch) for tests of expiry. */
  now?: () => number;
}

const isRole = (value: unknown): value is Role => value === 'admin' || value === 'member';

/**
 * Tokens verified lately, by their exact text, until they expire: a client sends the same token with every request,
 * and jose verifies through WebCrypto, a job on libuv's thread pool per request. Any other text (forged, altered,
 * re-signed) is a miss and verified in full; an entry past its `exp` is verified again, which refuses it.
 */
const VERIFIED_TOKENS_KEPT = 2048;

export function createTokenService(options: TokenServiceOptions): TokenService {
  const now = options.now ?? Date.now;

  async function verify(token: string): Promise<{ user: AuthUser; expiresAtMs: number }> {
    try {
      const { payload } = await jwtVerify(token, options.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(now()),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (typeof payload.sub !== 'string' || !isRole(payload.role) || typeof payload.email !== 'string') {
        throw new DomainError('UNAUTHENTICATED', 'access token has invalid claims');
      }
      return { user: { id: payload.sub, role: payload.role, email: payload.email }, expiresAtMs: payload.exp! * 1000 };
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (error instanceof joseErrors.JWTExpired) {
        throw new DomainError('UNAUTHENTICATED', 'access token expired; refresh it');
      }
      throw new DomainError('UNAUTHENTICATED', 'invalid access token');
    }
  }
  const verified = rememberFound(verify, VERIFIED_TOKENS_KEPT, (found) => found.expiresAtMs - now(), now);

  return {
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    async issueAccessToken(user) {
      const issuedAt = Math.floor(now() / 1000);
      return new SignJWT({ role: user.role, email: user.email })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + options.accessTokenTtlSeconds)
        .sign(options.key);
    },
    async verifyAccessToken(token) {
      return (await verified(token))!.user;
    },
  };
}
