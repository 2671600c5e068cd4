/**
 * Sealing one JSON value under a subject's key: AES-256-GCM (node:crypto) with a fresh 96-bit nonce per seal. The
 * subject and the event type are authenticated with it (additional data), so a sealed value copied into another
 * subject's or another type's event does not open. A key is 32 random bytes; the store keeps it as base64.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** What an event stores in place of its personal fields (field `sealed` of its data). */
export interface SealedValue {
  /** The key's subject (contracts/personal-data.ts), so whoever looks at the raw log sees whose it is. */
  subject: string;
  /** base64 of nonce (12 bytes) || ciphertext || tag (16 bytes). */
  data: string;
}

export const newKey = (): Buffer => randomBytes(KEY_BYTES);

const additionalData = (subject: string, type: string) => Buffer.from(`${subject}\n${type}`, 'utf8');

export function seal(key: Buffer, subject: string, type: string, value: unknown): SealedValue {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(subject, type));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { subject, data: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64') };
}

/** The sealed value, or throws when the key, subject, type or bytes are not those it was sealed with. */
export function open(key: Buffer, type: string, sealed: SealedValue): unknown {
  const bytes = Buffer.from(sealed.data, 'base64');
  if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error(`sealed value of ${sealed.subject} is truncated`);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(sealed.subject, type));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  const plain = Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as unknown;
}

export const isSealedValue = (value: unknown): value is SealedValue =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as SealedValue).subject === 'string' &&
  typeof (value as SealedValue).data === 'string';
