/**
 * Typed errors. Every failure a caller can cause is a DomainError with one of these codes; the GraphQL layer maps
 * the code once to `extensions.code`, the REST layer to an HTTP status.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'INSUFFICIENT_FUNDS',
  'CONFLICT',
  'NOT_FOUND',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

/** Optimistic concurrency failure of an append: the stream was not at the revision the caller decided against. */
export class WrongExpectedVersionError extends DomainError {
  readonly streamId: string;
  readonly expected: string;
  readonly actual: string;

  constructor(streamId: string, expected: string, actual: string) {
    super('CONFLICT', `stream ${streamId} is at revision ${actual}, expected ${expected}`, { streamId, expected, actual });
    this.name = 'WrongExpectedVersionError';
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

export const HTTP_STATUS_OF: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  INSUFFICIENT_FUNDS: 402,
  CONFLICT: 409,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};
