/** The email reservation stream is keyed by sha256 of the lower-cased address (no address in a stream name). */
import { createHash } from 'node:crypto';
import { emailStream } from '../../contracts/streams.ts';

export const emailStreamOf = (email: string): string =>
  emailStream(createHash('sha256').update(email.trim().toLowerCase()).digest('hex'));
