/**
 * Which failures of a chat request that produced no token yet are worth another attempt, and the wait a server
 * asks for: rate limits (429), timeouts and conflicts the server says are temporary (408, 409), server errors
 * (5xx), errors the provider sends inside the stream, and lost connections. The backoff itself is the command
 * side's one formula (command-side/retry.ts).
 */
import { APIError } from 'openai';
import { isDomainError } from '../../../../contracts/errors.ts';

export function isRetryable(error: unknown): boolean {
  if (isDomainError(error)) return false;
  // Not an HTTP answer at all: the connection failed or the body broke off (undici's "terminated").
  if (!(error instanceof APIError)) return true;
  const status = error.status;
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Milliseconds the server asked us to wait (Retry-After-Ms, Retry-After in seconds), if it said. */
export function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof APIError) || !error.headers) return undefined;
  const ms = Number(error.headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const seconds = Number(error.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** What a person reads in the error. */
export const describeFailure = (error: unknown): string =>
  error instanceof APIError && error.status !== undefined
    ? `HTTP ${error.status}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);
