/**
 * API key secrets: `ka_live_` + 43 base64url characters (256 random bits). Only the sha256 of the whole string is
 * kept (a fast hash is right here, unlike for passwords: the secret is random, so there is nothing to guess from
 * the hash, and every API request must look its key up quickly). The prefix shown in lists is the first 12
 * characters: 4 of the random part, too few to matter.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { NewApiKeySecret } from '../../contracts/api-keys.ts';

export const API_KEY_PREFIX = 'ka_live_';
const SHOWN_CHARS = API_KEY_PREFIX.length + 4;
const SECRET_SHAPE = /^ka_live_[A-Za-z0-9_-]{43}$/;

export const hashApiKey = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** A fresh secret, and what may be stored of it. */
export function newApiKeySecret(): { secret: string } & NewApiKeySecret {
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { secret, secretSha256: hashApiKey(secret), prefix: secret.slice(0, SHOWN_CHARS) };
}

/**
 * The API key in an Authorization header (`Bearer ka_live_…`), or undefined when there is none or it is not shaped
 * like one (then no lookup is made at all).
 */
export function bearerApiKey(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const candidate = match?.[1];
  return candidate !== undefined && SECRET_SHAPE.test(candidate) ? candidate : undefined;
}
