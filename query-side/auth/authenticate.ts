/**
 * Turns an Authorization header (or a graphql-ws connection_init value) into the caller. No header = anonymous;
 * a header that is present but not a valid bearer token of a known user is UNAUTHENTICATED, never anonymous.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { AuthUser, TokenService } from './tokens.ts';

/**
 * Looks the token's user up (e.g. in the identity read model or stream): undefined = unknown user. Returning the
 * stored user also picks up a role changed since the token was issued.
 */
export type ResolveUser = (claims: AuthUser) => Promise<AuthUser | undefined>;

export interface Authenticator {
  authenticate(authorization: unknown): Promise<AuthUser | undefined>;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export function createAuthenticator(tokens: TokenService, resolveUser?: ResolveUser): Authenticator {
  return {
    async authenticate(authorization) {
      if (authorization === undefined || authorization === null) return undefined;
      if (typeof authorization !== 'string') {
        throw new DomainError('UNAUTHENTICATED', 'authorization must be "Bearer <access token>"');
      }
      const match = BEARER.exec(authorization.trim());
      if (!match) throw new DomainError('UNAUTHENTICATED', 'authorization must be "Bearer <access token>"');
      const claims = await tokens.verifyAccessToken(match[1]!);
      if (!resolveUser) return claims;
      const user = await resolveUser(claims);
      if (!user) throw new DomainError('UNAUTHENTICATED', 'the access token belongs to no known user');
      return user;
    },
  };
}

export interface AuthContext {
  /** The caller; undefined when the request carried no Authorization at all. */
  user: AuthUser | undefined;
  /** The caller, or UNAUTHENTICATED. */
  requireUser(): AuthUser;
  /** The caller if an admin; UNAUTHENTICATED when anonymous, FORBIDDEN for members. */
  requireAdmin(): AuthUser;
}

export function authContext(user: AuthUser | undefined): AuthContext {
  const requireUser = (): AuthUser => {
    if (!user) throw new DomainError('UNAUTHENTICATED', 'sign in first: send Authorization: Bearer <access token>');
    return user;
  };
  return {
    user,
    requireUser,
    requireAdmin() {
      const caller = requireUser();
      if (caller.role !== 'admin') throw new DomainError('FORBIDDEN', 'only an admin may do this');
      return caller;
    },
  };
}
