/**
 * Markers around the data of a prompt (passages, the question). Each request gets a fresh random code in its
 * markers and the system prompt says only markers with that code are real, so a document or a question cannot
 * close its block and speak as instructions: it would have to guess the code.
 */
import { randomBytes } from 'node:crypto';

/** Hex characters of the code: 32 bits, one guess per request. */
export const NONCE_LENGTH = 8;

export const randomNonce = (): string => randomBytes(NONCE_LENGTH / 2).toString('hex');

export interface DataDelimiters {
  readonly nonce: string;
  open(label: string): string;
  close(label: string): string;
}

export function delimiters(nonce: string): DataDelimiters {
  return {
    nonce,
    open: (label) => `<<<${label} ${nonce}>>>`,
    close: (label) => `<<<END ${label} ${nonce}>>>`,
  };
}

/** A code that occurs in none of the data (a collision is all but impossible; this makes it impossible). */
export function delimitersFor(data: readonly string[], nextNonce: () => string = randomNonce): DataDelimiters {
  for (;;) {
    const nonce = nextNonce();
    if (!data.some((text) => text.includes(nonce))) return delimiters(nonce);
  }
}
