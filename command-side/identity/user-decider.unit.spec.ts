import { describe, it } from 'vitest';
import type { UserEvent } from '../../contracts/identity.ts';
import { DeciderSpecification } from '../decider-specification.ts';
import { userDecider, type UserCommand } from './user-decider.ts';

const spec = DeciderSpecification.for(userDecider);
const t0 = '2026-01-01T00:00:00.000Z';
const t1 = '2026-01-01T00:10:00.000Z';
const later = '2026-03-01T00:00:00.000Z';
const expiry = '2026-02-01T00:00:00.000Z';

const register: UserCommand = {
  type: 'RegisterUser',
  userId: 'u1',
  email: 'ada@example.com',
  displayName: 'Ada',
  role: 'admin',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y',
  session: { familyId: 'f1', tokenHash: 'h1', expiresAt: expiry },
  now: t0,
};
const registered: UserEvent = {
  type: 'UserRegistered',
  data: { userId: 'u1', email: 'ada@example.com', displayName: 'Ada', role: 'admin', passwordHash: register.passwordHash, registeredAt: t0 },
};
const issued = (familyId: string, tokenHash: string): UserEvent => ({
  type: 'RefreshTokenIssued',
  data: { userId: 'u1', familyId, tokenHash, issuedAt: t0, expiresAt: expiry },
});
const rotated = (familyId: string, previousTokenHash: string, tokenHash: string): UserEvent => ({
  type: 'RefreshTokenRotated',
  data: { userId: 'u1', familyId, previousTokenHash, tokenHash, rotatedAt: t1, expiresAt: expiry },
});
const rotate = (presentedTokenHash: string, newTokenHash: string, now = t1): UserCommand => ({
  type: 'RotateRefreshToken',
  presentedTokenHash,
  newTokenHash,
  expiresAt: expiry,
  now,
});

describe('user decider: registration', () => {
  it('registers the user and starts its first refresh-token family', () => {
    spec.given([]).when(register).then([registered, issued('f1', 'h1')]);
  });

  it('refuses to register the same user twice', () => {
    spec.given([registered]).when(register).thenThrows('CONFLICT');
  });
});

describe('user decider: sessions', () => {
  it('a login starts a new family', () => {
    spec
      .given([registered, issued('f1', 'h1')])
      .when({ type: 'StartSession', session: { familyId: 'f2', tokenHash: 'h9', expiresAt: expiry }, now: t0 })
      .then([issued('f2', 'h9')]);
  });

  it('a login needs a registered user', () => {
    spec
      .given([])
      .when({ type: 'StartSession', session: { familyId: 'f2', tokenHash: 'h9', expiresAt: expiry }, now: t0 })
      .thenThrows('NOT_FOUND');
  });
});

describe('user decider: refresh-token rotation', () => {
  it('the current token rotates to a new one', () => {
    spec.given([registered, issued('f1', 'h1')]).when(rotate('h1', 'h2')).then([rotated('f1', 'h1', 'h2')]);
  });

  it('the rotated token rotates again', () => {
    spec
      .given([registered, issued('f1', 'h1'), rotated('f1', 'h1', 'h2')])
      .when(rotate('h2', 'h3'))
      .then([rotated('f1', 'h2', 'h3')]);
  });

  it('reusing a rotated-away token revokes its whole family', () => {
    spec
      .given([registered, issued('f1', 'h1'), rotated('f1', 'h1', 'h2')])
      .when(rotate('h1', 'h3'))
      .then([
        {
          type: 'RefreshTokenFamilyRevoked',
          data: { userId: 'u1', familyId: 'f1', reason: 'reuse', presentedTokenHash: 'h1', revokedAt: t1 },
        },
      ]);
  });

  it('after revocation even the latest token of the family is refused', () => {
    const revoked: UserEvent = {
      type: 'RefreshTokenFamilyRevoked',
      data: { userId: 'u1', familyId: 'f1', reason: 'reuse', presentedTokenHash: 'h1', revokedAt: t1 },
    };
    spec
      .given([registered, issued('f1', 'h1'), rotated('f1', 'h1', 'h2'), revoked])
      .when(rotate('h2', 'h3'))
      .thenThrows('UNAUTHENTICATED');
  });

  it('revoking one family leaves the other sessions alone', () => {
    const revoked: UserEvent = {
      type: 'RefreshTokenFamilyRevoked',
      data: { userId: 'u1', familyId: 'f1', reason: 'reuse', presentedTokenHash: 'h1', revokedAt: t1 },
    };
    spec
      .given([registered, issued('f1', 'h1'), issued('f2', 'k1'), revoked])
      .when(rotate('k1', 'k2'))
      .then([rotated('f2', 'k1', 'k2')]);
  });

  it('an unknown token is refused without any event', () => {
    spec.given([registered, issued('f1', 'h1')]).when(rotate('nope', 'h2')).thenThrows('UNAUTHENTICATED');
  });

  it('an expired token is refused', () => {
    spec.given([registered, issued('f1', 'h1')]).when(rotate('h1', 'h2', later)).thenThrows('UNAUTHENTICATED');
  });

  it('a token for a user that does not exist is refused', () => {
    spec.given([]).when(rotate('h1', 'h2')).thenThrows('UNAUTHENTICATED');
  });
});

describe('user decider: erasure', () => {
  const member: UserEvent = { ...registered, data: { ...registered.data, role: 'member' } } as UserEvent;
  const erase: UserCommand = { type: 'EraseUser', erasedBy: 'admin', now: t1 };
  const erased: UserEvent = { type: 'UserErased', data: { userId: 'u1', erasedBy: 'admin', erasedAt: t1 } };

  it('erases a member once; erasing again appends nothing', () => {
    spec.given([member, issued('f1', 'h1')]).when(erase).then([erased]);
    spec.given([member, erased]).when(erase).thenNothing();
  });

  it('refuses the admin account and unknown users', () => {
    spec.given([registered]).when(erase).thenThrows('FORBIDDEN', /admin account/);
    spec.given([]).when(erase).thenThrows('NOT_FOUND');
  });

  it('an erased user has no sessions: no new one, no rotation, no registering again', () => {
    const session = { familyId: 'f2', tokenHash: 'h2', expiresAt: expiry };
    spec.given([member, issued('f1', 'h1'), erased]).when({ type: 'StartSession', session, now: t1 }).thenThrows('NOT_FOUND');
    spec.given([member, issued('f1', 'h1'), erased]).when(rotate('h1', 'h2')).thenThrows('UNAUTHENTICATED');
    spec.given([member, erased]).when(register).thenThrows('CONFLICT');
  });
});
