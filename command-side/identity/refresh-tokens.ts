/**
 * Refresh tokens are opaque to clients: "<userId>.<32 random bytes, base64url>". The user id prefix lets the server
 * find the one stream to check without a read model (so it is consistent without projection lag); the random part
 * is the secret. Only sha256 of the whole token enters the log.
 */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

export const newRefreshToken = (userId: string): string => `${userId}.${randomBytes(32).toString('base64url')}`;

export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The user id a well-formed token names, or undefined. */
export function userIdOfRefreshToken(token: string): string | undefined {
  return TOKEN.exec(token)?.[1];
}
