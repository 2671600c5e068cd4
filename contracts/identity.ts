/**
 * Identity: the events of the `user-{id}` stream, the `email-{sha256}` reservation and the first-admin claim, the
 * validated inputs of register/login/refresh, and the command-handler port the query side calls (handlers are
 * injected by the composition root, so the query side never imports the command side).
 */
import { z } from 'zod';
import type { EventMetadata } from './eventstore.ts';
import type { Position } from './position.ts';

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

/** The singleton stream whose first claim makes its holder the first (admin) user; appended with no_stream. */
export const FIRST_ADMIN_STREAM = 'identity-first-admin';

// ---- events -------------------------------------------------------------------------------------------------

export type UserRegistered = {
  type: 'UserRegistered';
  data: {
    userId: string;
    email: string;
    displayName: string | null;
    role: Role;
    /** argon2id PHC string, computed at the edge; redacted by the audit trail. */
    passwordHash: string;
    registeredAt: string;
  };
};

/** A login (or a registration) starts a refresh-token family. Only the sha256 of the token is stored. */
export type RefreshTokenIssued = {
  type: 'RefreshTokenIssued';
  data: { userId: string; familyId: string; tokenHash: string; issuedAt: string; expiresAt: string };
};

export type RefreshTokenRotated = {
  type: 'RefreshTokenRotated';
  data: {
    userId: string;
    familyId: string;
    previousTokenHash: string;
    tokenHash: string;
    rotatedAt: string;
    expiresAt: string;
  };
};

/** An already rotated token was presented again: someone holds a copy, so the whole family dies. */
export type RefreshTokenFamilyRevoked = {
  type: 'RefreshTokenFamilyRevoked';
  data: { userId: string; familyId: string; reason: 'reuse'; presentedTokenHash: string; revokedAt: string };
};

export type UserEvent = UserRegistered | RefreshTokenIssued | RefreshTokenRotated | RefreshTokenFamilyRevoked;

/** A claim on a unique name (an email address, the first-admin role) held by one user. */
export type EmailReserved = {
  type: 'EmailReserved';
  data: { email: string; userId: string; reservedAt: string };
};
export type FirstAdminClaimed = {
  type: 'FirstAdminClaimed';
  data: { userId: string; claimedAt: string };
};

export const USER_EVENT_TYPES = [
  'UserRegistered',
  'RefreshTokenIssued',
  'RefreshTokenRotated',
  'RefreshTokenFamilyRevoked',
] as const satisfies readonly UserEvent['type'][];

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

export interface IdentityCommands {
  register(input: RegisterInput, metadata: EventMetadata): Promise<SessionResult>;
  login(input: LoginInput, metadata: EventMetadata): Promise<SessionResult>;
  refresh(refreshToken: string, metadata: EventMetadata): Promise<SessionResult>;
}
