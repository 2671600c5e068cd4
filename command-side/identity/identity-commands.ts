/**
 * Command handlers of the identity slice: register, login, refresh. They read only streams (never read models), so
 * a login right after a registration is consistent whatever the projection lag.
 *
 * Register appends in this order: the email reservation (no_stream: exactly one of two concurrent registrations of
 * an address wins, the other gets CONFLICT), the first-admin claim (no_stream: exactly one first user), then the
 * user stream. The expensive password hash is computed before the first append, keeping the window between the
 * appends short; claims.ts explains how a registration that dies inside that window is recovered.
 *
 * Erase records UserErased, then shreds the user's key (contracts/personal-data.ts). An erased user's email address
 * is free again: the reservation's holder gave it up, so a new registration takes it over like an abandoned one.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { EventMetadata, EventStore } from '../../contracts/eventstore.ts';
import {
  FIRST_ADMIN_STREAM,
  INVALID_CREDENTIALS,
  INVALID_REFRESH_TOKEN,
  type IdentityActor,
  type IdentityCommands,
  type LoginInput,
  type RegisterInput,
  type SessionResult,
} from '../../contracts/identity.ts';
import { userDataSubject, type KeyShredder } from '../../contracts/personal-data.ts';
import { userStream } from '../../contracts/streams.ts';
import { foldEvents, handleCommand } from '../decider.ts';
import { emailReservationDecider, firstAdminDecider, type ClaimState } from './claims.ts';
import { emailStreamOf } from './email-key.ts';
import type { PasswordHasher } from './passwords.ts';
import { hashRefreshToken, newRefreshToken, userIdOfRefreshToken } from './refresh-tokens.ts';
import { userDecider, type UserState } from './user-decider.ts';

export interface IdentityDeps {
  store: EventStore;
  passwords: PasswordHasher;
  now: () => Date;
  newId: () => string;
  refreshTokenTtlSeconds: number;
  /** Shreds an erased user's key. */
  keys: KeyShredder;
}

type RegisteredUser = Extract<UserState, { status: 'registered' }>;
type ClaimDecider = typeof emailReservationDecider | typeof firstAdminDecider;

export function createIdentityCommands(deps: IdentityDeps): IdentityCommands {
  const { store, passwords } = deps;

  const loadUser = async (userId: string): Promise<UserState> => {
    const recorded = await store.readStream(userStream(userId));
    return foldEvents(userDecider, recorded.map(userDecider.parseEvent));
  };

  const claimHolder = async (streamId: string, claims: ClaimDecider): Promise<string | undefined> => {
    const [last] = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last && claims.parseEvent(last).data.userId;
  };

  /**
   * The holder of a claim when its registration never reached the user stream (or, where `erasedGiveUp`, when the
   * holder was erased: UserErased is always a user stream's last event); the decider checks the age.
   */
  const abandonedHolder = async (
    streamId: string,
    claims: ClaimDecider,
    erasedGiveUp = false,
  ): Promise<{ abandonedHolder?: string }> => {
    const holder = await claimHolder(streamId, claims);
    if (holder === undefined) return {};
    const [last] = await store.readStream(userStream(holder), { direction: 'backwards', maxCount: 1 });
    const gaveUp = last === undefined || (erasedGiveUp && last.type === 'UserErased');
    return gaveUp ? { abandonedHolder: holder } : {};
  };

  const newSession = (userId: string, now: Date) => {
    const refreshToken = newRefreshToken(userId);
    const expiresAt = new Date(now.getTime() + deps.refreshTokenTtlSeconds * 1000).toISOString();
    return { refreshToken, session: { familyId: deps.newId(), tokenHash: hashRefreshToken(refreshToken), expiresAt } };
  };

  const sessionResult = (state: UserState, refreshToken: string, position: string | undefined): SessionResult => {
    if (state.status !== 'registered' || position === undefined) {
      throw new DomainError('INTERNAL', 'session was not recorded');
    }
    return { user: viewOf(state), refreshToken, position };
  };

  return {
    async register(input: RegisterInput, metadata: EventMetadata) {
      const userId = deps.newId();
      const passwordHash = await passwords.hash(input.password);
      const now = deps.now();
      const at = now.toISOString();
      const options = { metadata: { ...metadata, userId } };

      const emailStreamId = emailStreamOf(input.email);
      await handleCommand(
        store,
        emailStreamId,
        emailReservationDecider,
        {
          type: 'ReserveEmail',
          email: input.email,
          userId,
          now: at,
          ...(await abandonedHolder(emailStreamId, emailReservationDecider, true)),
        },
        options,
      );
      const claim = await handleCommand(
        store,
        FIRST_ADMIN_STREAM,
        firstAdminDecider,
        { type: 'ClaimFirstAdmin', userId, now: at, ...(await abandonedHolder(FIRST_ADMIN_STREAM, firstAdminDecider)) },
        options,
      );
      const role = (claim.state as ClaimState).holder === userId ? 'admin' : 'member';
      const { refreshToken, session } = newSession(userId, now);
      const result = await handleCommand(
        store,
        userStream(userId),
        userDecider,
        { type: 'RegisterUser', userId, email: input.email, displayName: input.displayName, role, passwordHash, session, now: at },
        options,
      );
      return sessionResult(result.state, refreshToken, result.position);
    },

    async login(input: LoginInput, metadata: EventMetadata) {
      const holder = await claimHolder(emailStreamOf(input.email), emailReservationDecider);
      const state = holder === undefined ? undefined : await loadUser(holder);
      const user = state?.status === 'registered' && state.email === input.email ? state : undefined;
      const valid = user
        ? await passwords.verify(user.passwordHash, input.password)
        : await passwords.verifyNothing(input.password);
      if (!user || !valid) throw new DomainError('UNAUTHENTICATED', INVALID_CREDENTIALS);

      const now = deps.now();
      const { refreshToken, session } = newSession(user.userId, now);
      const result = await handleCommand(
        store,
        userStream(user.userId),
        userDecider,
        { type: 'StartSession', session, now: now.toISOString() },
        { metadata: { ...metadata, userId: user.userId } },
      );
      return sessionResult(result.state, refreshToken, result.position);
    },

    async refresh(presented: string, metadata: EventMetadata) {
      const userId = userIdOfRefreshToken(presented);
      if (userId === undefined) throw new DomainError('UNAUTHENTICATED', INVALID_REFRESH_TOKEN);
      const now = deps.now();
      const { refreshToken, session } = newSession(userId, now);
      const result = await handleCommand(
        store,
        userStream(userId),
        userDecider,
        {
          type: 'RotateRefreshToken',
          presentedTokenHash: hashRefreshToken(presented),
          newTokenHash: session.tokenHash,
          expiresAt: session.expiresAt,
          now: now.toISOString(),
        },
        { metadata: { ...metadata, userId } },
      );
      // The revocation is recorded (appended above), and the presenter is refused.
      if (result.events.some((event) => event.type === 'RefreshTokenFamilyRevoked')) {
        throw new DomainError('UNAUTHENTICATED', INVALID_REFRESH_TOKEN);
      }
      return sessionResult(result.state, refreshToken, result.position);
    },

    async erase(userId: string, actor: IdentityActor, metadata: EventMetadata) {
      if (actor.role !== 'admin' && actor.id !== userId) {
        throw new DomainError('FORBIDDEN', 'only the user themselves or an admin may erase a user');
      }
      const result = await handleCommand(
        store,
        userStream(userId),
        userDecider,
        { type: 'EraseUser', erasedBy: actor.id, now: deps.now().toISOString() },
        { metadata: { ...metadata, userId: actor.id } },
      );
      // Recorded first, so the audit trail never lacks an erasure that happened; if shredding fails, the call fails
      // and calling again (or the erasure reactor) shreds: erasing an erased user appends nothing and shreds again.
      await deps.keys.shred([userDataSubject(userId)]);
      if (result.state.status !== 'erased') throw new DomainError('INTERNAL', 'the erasure was not recorded');
      return { userId, role: result.state.role, erasedAt: result.state.erasedAt, position: result.position };
    },
  };
}

const viewOf = (state: RegisteredUser) => ({
  id: state.userId,
  email: state.email,
  displayName: state.displayName,
  role: state.role,
});
