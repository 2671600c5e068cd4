/**
 * Identity: the events of the `user-{id}` stream, the `email-{sha256}` reservation and the first-admin claim, the
 * validated inputs of register/login/refresh, and the command-handler port the query side calls (handlers are
 * injected by the composition root, so the query side never imports the command side).
 */
import { z } from 'zod';
import { eventParser, type EventsOf } from './event-parser.ts';
import type { EventMetadata } from './eventstore.ts';
import type { Position } from './position.ts';

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

/** The singleton stream whose first claim makes its holder the first (admin) user; appended with no_stream. */
export const FIRST_ADMIN_STREAM = 'identity-first-admin';

// ---- events -------------------------------------------------------------------------------------------------

const storedId = z.string().min(1);
const at = z.string().min(1);

export const userEventSchemas = {
  UserRegistered: z.object({
    userId: storedId,
    email: z.string().min(1),
    displayName: z.string().nullable(),
    role: z.enum(ROLES),
    /** argon2id PHC string, computed at the edge; redacted by the audit trail. */
    passwordHash: z.string().min(1),
    registeredAt: at,
  }),
  /** A login (or a registration) starts a refresh-token family. Only the sha256 of the token is stored. */
  RefreshTokenIssued: z.object({ userId: storedId, familyId: storedId, tokenHash: storedId, issuedAt: at, expiresAt: at }),
  RefreshTokenRotated: z.object({
    userId: storedId,
    familyId: storedId,
    previousTokenHash: storedId,
    tokenHash: storedId,
    rotatedAt: at,
    expiresAt: at,
  }),
  /** An already rotated token was presented again: someone holds a copy, so the whole family dies. */
  RefreshTokenFamilyRevoked: z.object({
    userId: storedId,
    familyId: storedId,
    reason: z.literal('reuse'),
    presentedTokenHash: storedId,
    revokedAt: at,
  }),
  /**
   * The user's personal data was erased (contracts/personal-data.ts): their key is shredded, their email and name
   * read as erased everywhere, and the account is closed (no login, no refresh). Who did it and when is the audit.
   */
  UserErased: z.object({ userId: storedId, erasedBy: storedId, erasedAt: at }),
} as const;

export type UserEvent = EventsOf<typeof userEventSchemas>;
export type UserRegistered = Extract<UserEvent, { type: 'UserRegistered' }>;
export type RefreshTokenIssued = Extract<UserEvent, { type: 'RefreshTokenIssued' }>;
export type RefreshTokenRotated = Extract<UserEvent, { type: 'RefreshTokenRotated' }>;
export type RefreshTokenFamilyRevoked = Extract<UserEvent, { type: 'RefreshTokenFamilyRevoked' }>;
export type UserErased = Extract<UserEvent, { type: 'UserErased' }>;

export const USER_EVENT_TYPES = [
  'UserRegistered',
  'RefreshTokenIssued',
  'RefreshTokenRotated',
  'RefreshTokenFamilyRevoked',
  'UserErased',
] as const satisfies readonly UserEvent['type'][];

export const parseUserEvent = eventParser(userEventSchemas);

/** A claim on a unique name (an email address, the first-admin role) held by one user, each in its own stream. */
export const emailClaimEventSchemas = {
  EmailReserved: z.object({ email: z.string().min(1), userId: storedId, reservedAt: at }),
} as const;
export const firstAdminClaimEventSchemas = {
  FirstAdminClaimed: z.object({ userId: storedId, claimedAt: at }),
} as const;
export type EmailReserved = EventsOf<typeof emailClaimEventSchemas>;
export type FirstAdminClaimed = EventsOf<typeof firstAdminClaimEventSchemas>;
export const parseEmailClaimEvent = eventParser(emailClaimEventSchemas);
export const parseFirstAdminClaimEvent = eventParser(firstAdminClaimEventSchemas);

// ---- inputs -------------------------------------------------------------------------------------------------

export const MIN_PASSWORD_LENGTH = 8;
/** argon2 hashes any length, but an unbounded input is a cheap denial of service. */
export const MAX_PASSWORD_LENGTH = 256;

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'email is too long')
  .pipe(z.email({ error: 'not a valid email address' }))
  .transform((email) => email.toLowerCase());

export const registerInputSchema = z.object({
  email: emailSchema,
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `password must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(MAX_PASSWORD_LENGTH, `password must be at most ${MAX_PASSWORD_LENGTH} characters`),
  displayName: z
    .string()
    .trim()
    .max(100, 'displayName must be at most 100 characters')
    .nullish()
    .transform((name) => (name ? name : null)),
});
export type RegisterInput = z.infer<typeof registerInputSchema>;

/** Login checks nothing about the shape beyond bounds: every failure must look the same. */
export const loginInputSchema = z.object({
  email: z.string().max(1000).transform((email) => email.trim().toLowerCase()),
  password: z.string().max(MAX_PASSWORD_LENGTH),
});
export type LoginInput = z.infer<typeof loginInputSchema>;

export const MAX_USERS_PAGE = 100;

/** An admin looking a user up (to deposit to, say): a substring of the email or name; no search = everyone. */
export const usersSearchInputSchema = z.object({
  search: z
    .string()
    .max(254, 'search must be at most 254 characters')
    .nullish()
    .transform((search) => search?.trim() || null),
  limit: z
    .number()
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_USERS_PAGE, `limit must be at most ${MAX_USERS_PAGE}`)
    .nullish()
    .transform((limit) => limit ?? 20),
});
export type UsersSearchInput = z.infer<typeof usersSearchInputSchema>;

export const INVALID_CREDENTIALS = 'invalid email or password';
export const INVALID_REFRESH_TOKEN = 'invalid or expired refresh token';

// ---- the command port ---------------------------------------------------------------------------------------

export interface UserView {
  id: string;
  email: string;
  displayName: string | null;
  role: Role;
}

export interface SessionResult {
  user: UserView;
  /** Opaque; only its sha256 is in the log. */
  refreshToken: string;
  /** Log position of what was appended: the mutation waits for projections to reach it. */
  position: Position;
}

/** Who asks for an erasure: the user themselves or an admin. */
export interface IdentityActor {
  id: string;
  role: Role;
}

export interface ErasureResult {
  userId: string;
  role: Role;
  /** When it was erased (now, or the first time for a user erased already). */
  erasedAt: string;
  /** Log position of UserErased; undefined when the user was erased already (nothing appended). */
  position: Position | undefined;
}

export interface IdentityCommands {
  register(input: RegisterInput, metadata: EventMetadata): Promise<SessionResult>;
  login(input: LoginInput, metadata: EventMetadata): Promise<SessionResult>;
  refresh(refreshToken: string, metadata: EventMetadata): Promise<SessionResult>;
  /**
   * Erases a user's personal data and closes the account: records UserErased, then shreds the user's key. The user
   * themselves or an admin (FORBIDDEN otherwise); the admin account cannot be erased (FORBIDDEN); NOT_FOUND for an
   * unknown user. Idempotent: erasing again appends nothing and shreds again.
   */
  erase(userId: string, actor: IdentityActor, metadata: EventMetadata): Promise<ErasureResult>;
}
