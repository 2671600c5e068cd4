/**
 * The `user-{id}` aggregate: registration and refresh-token families. A family starts at login (or registration);
 * each use of its current token rotates it; presenting a token the family already rotated away means a copy leaked,
 * so the whole family is revoked (OAuth 2.0 Security BCP, "refresh token rotation"). An erased user (UserErased)
 * has no sessions any more: nothing starts or rotates one.
 */
import { DomainError } from '../../contracts/errors.ts';
import { INVALID_REFRESH_TOKEN, parseUserEvent, type Role, type UserEvent } from '../../contracts/identity.ts';
import type { StreamDecider } from '../decider.ts';

export interface NewSession {
  familyId: string;
  tokenHash: string;
  expiresAt: string;
}

export type UserCommand =
  | {
      type: 'RegisterUser';
      userId: string;
      email: string;
      displayName: string | null;
      role: Role;
      passwordHash: string;
      session: NewSession;
      now: string;
    }
  | { type: 'StartSession'; session: NewSession; now: string }
  | { type: 'RotateRefreshToken'; presentedTokenHash: string; newTokenHash: string; expiresAt: string; now: string }
  | { type: 'EraseUser'; erasedBy: string; now: string };

interface TokenFamily {
  currentTokenHash: string;
  expiresAt: string;
  revoked: boolean;
}

export type UserState =
  | { status: 'unregistered' }
  | {
      status: 'registered';
      userId: string;
      email: string;
      displayName: string | null;
      role: Role;
      passwordHash: string;
      families: Readonly<Record<string, TokenFamily>>;
      /** Every token hash ever issued in this stream -> its family, so a reused old token finds its family. */
      familyOfToken: Readonly<Record<string, string>>;
    }
  | { status: 'erased'; userId: string; role: Role; erasedAt: string };

const initialState = (): UserState => ({ status: 'unregistered' });

function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered': {
      const { userId, email, displayName, role, passwordHash } = event.data;
      return { status: 'registered', userId, email, displayName, role, passwordHash, families: {}, familyOfToken: {} };
    }
    case 'RefreshTokenIssued':
    case 'RefreshTokenRotated': {
      if (state.status !== 'registered') return state;
      const { familyId, tokenHash, expiresAt } = event.data;
      return {
        ...state,
        families: { ...state.families, [familyId]: { currentTokenHash: tokenHash, expiresAt, revoked: false } },
        familyOfToken: { ...state.familyOfToken, [tokenHash]: familyId },
      };
    }
    case 'RefreshTokenFamilyRevoked': {
      if (state.status !== 'registered') return state;
      const family = state.families[event.data.familyId];
      if (!family) return state;
      return { ...state, families: { ...state.families, [event.data.familyId]: { ...family, revoked: true } } };
    }
    case 'UserErased':
      if (state.status !== 'registered') return state;
      return { status: 'erased', userId: state.userId, role: state.role, erasedAt: event.data.erasedAt };
    default: {
      // Compile-time exhaustiveness; at run time an event type added later is ignored, not fatal.
      const _unhandled: never = event;
      return state;
    }
  }
}

const unauthenticated = () => new DomainError('UNAUTHENTICATED', INVALID_REFRESH_TOKEN);

function decide(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'RegisterUser': {
      if (state.status !== 'unregistered') throw new DomainError('CONFLICT', 'user is already registered');
      const { userId, email, displayName, role, passwordHash, session, now } = command;
      return [
        { type: 'UserRegistered', data: { userId, email, displayName, role, passwordHash, registeredAt: now } },
        {
          type: 'RefreshTokenIssued',
          data: { userId, familyId: session.familyId, tokenHash: session.tokenHash, issuedAt: now, expiresAt: session.expiresAt },
        },
      ];
    }
    case 'StartSession': {
      if (state.status !== 'registered') throw new DomainError('NOT_FOUND', 'no such user');
      const { session, now } = command;
      return [
        {
          type: 'RefreshTokenIssued',
          data: {
            userId: state.userId,
            familyId: session.familyId,
            tokenHash: session.tokenHash,
            issuedAt: now,
            expiresAt: session.expiresAt,
          },
        },
      ];
    }
    case 'RotateRefreshToken': {
      if (state.status !== 'registered') throw unauthenticated();
      const familyId = state.familyOfToken[command.presentedTokenHash];
      const family = familyId === undefined ? undefined : state.families[familyId];
      if (familyId === undefined || !family || family.revoked) throw unauthenticated();
      if (family.currentTokenHash !== command.presentedTokenHash) {
        return [
          {
            type: 'RefreshTokenFamilyRevoked',
            data: {
              userId: state.userId,
              familyId,
              reason: 'reuse',
              presentedTokenHash: command.presentedTokenHash,
              revokedAt: command.now,
            },
          },
        ];
      }
      if (Date.parse(command.now) >= Date.parse(family.expiresAt)) throw unauthenticated();
      return [
        {
          type: 'RefreshTokenRotated',
          data: {
            userId: state.userId,
            familyId,
            previousTokenHash: command.presentedTokenHash,
            tokenHash: command.newTokenHash,
            rotatedAt: command.now,
            expiresAt: command.expiresAt,
          },
        },
      ];
    }
    case 'EraseUser': {
      if (state.status === 'unregistered') throw new DomainError('NOT_FOUND', 'no such user');
      if (state.status === 'erased') return [];
      // The first user is the only admin there will ever be: erasing them would leave nobody to administer.
      if (state.role === 'admin') throw new DomainError('FORBIDDEN', 'the admin account cannot be erased');
      return [{ type: 'UserErased', data: { userId: state.userId, erasedBy: command.erasedBy, erasedAt: command.now } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
}

export const userDecider: StreamDecider<UserCommand, UserEvent, UserState> = {
  parseEvent: parseUserEvent,
  initialState,
  evolve,
  decide,
};
