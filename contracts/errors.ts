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
  'QUOTA_EXCEEDED',
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

/**
 * A recorded event whose type or data is not what its reader expects (eventParser): a bug in a writer or a
 * hand-edited log. Nothing can be decided or projected from it, so the reader stops and names the event.
 */
export class MalformedEventError extends DomainError {
  readonly streamId: string;
  readonly revision: number;
  readonly eventType: string;

  constructor(event: { id: string; type: string; streamId: string; revision: number }, problem: string) {
    super('INTERNAL', `event ${event.type} at revision ${event.revision} of ${event.streamId} ${problem}`, {
      eventId: event.id,
      eventType: event.type,
      streamId: event.streamId,
      revision: event.revision,
    });
    this.name = 'MalformedEventError';
    this.streamId = event.streamId;
    this.revision = event.revision;
    this.eventType = event.type;
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
  QUOTA_EXCEEDED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Which per-user quota, its limit and the usage the request was refused at: in `extensions` too. */
export interface QuotaDetails {
  quota: string;
  limit: number;
  usage: number;
  /** The usage goes down by itself (documents in flight finish): trying again later may succeed. */
  retryable: boolean;
}

/**
 * A per-user quota is used up. Retryable ones answer HTTP 429, which clients retry with backoff; the others 403: they
 * free up only when the user deletes something, so retrying the same request would only fail again.
 */
export class QuotaExceededError extends DomainError {
  readonly retryable: boolean;

  constructor(message: string, details: QuotaDetails & Record<string, unknown>) {
    super('QUOTA_EXCEEDED', message, details);
    this.name = 'QuotaExceededError';
    this.retryable = details.retryable;
  }
}

/** The HTTP status of a DomainError: its code's, except a quota that does not free itself (403, not 429). */
export const httpStatusOf = (error: DomainError): number =>
  error instanceof QuotaExceededError && !error.retryable ? 403 : HTTP_STATUS_OF[error.code];
