/**
 * Errors of the OpenAI-compatible API in OpenAI's shape, `{"error": {"message", "type", "code", "param"}}`, so
 * OpenAI's clients raise their usual error classes (AuthenticationError, RateLimitError…). Every refusal of the
 * /v1 routes goes through here: our DomainErrors by code, fastify's own (malformed JSON, body too large) by
 * status, anything else as a 500 that names nothing internal.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, httpStatusOf, type ErrorCode } from '../../contracts/errors.ts';

export interface OpenAiErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

/** A refusal with OpenAI's type and code; retryAfterSeconds becomes a Retry-After header. */
export class OpenAiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'OpenAiError';
  }
}

/** OpenAI's type and code for each of our error codes. */
const OPENAI_KIND_OF: Record<ErrorCode, { type: string; code: string }> = {
  UNAUTHENTICATED: { type: 'invalid_request_error', code: 'invalid_api_key' },
  FORBIDDEN: { type: 'invalid_request_error', code: 'model_not_found' },
  BAD_USER_INPUT: { type: 'invalid_request_error', code: 'invalid_value' },
  INSUFFICIENT_FUNDS: { type: 'insufficient_quota', code: 'insufficient_quota' },
  CONFLICT: { type: 'invalid_request_error', code: 'conflict' },
  NOT_FOUND: { type: 'invalid_request_error', code: 'model_not_found' },
  RATE_LIMITED: { type: 'requests', code: 'rate_limit_exceeded' },
  PAYLOAD_TOO_LARGE: { type: 'invalid_request_error', code: 'request_too_large' },
  UNSUPPORTED_MEDIA_TYPE: { type: 'invalid_request_error', code: 'unsupported_media_type' },
  QUOTA_EXCEEDED: { type: 'insufficient_quota', code: 'quota_exceeded' },
  UNAVAILABLE: { type: 'server_error', code: 'unavailable' },
  INTERNAL: { type: 'server_error', code: 'internal_error' },
};

export const unauthorized = (message = 'Incorrect or revoked API key. Create one in the web app (API keys) and send it as Authorization: Bearer ka_live_…') =>
  new OpenAiError(401, 'invalid_request_error', 'invalid_api_key', message);

export const invalidRequest = (message: string, code = 'invalid_value') => new OpenAiError(400, 'invalid_request_error', code, message);

/** Our error as OpenAI's: a knowledge base the owner may not ask reads as one that does not exist (404). */
export function asOpenAiError(error: unknown): OpenAiError | undefined {
  if (error instanceof OpenAiError) return error;
  if (error instanceof DomainError) {
    const { type, code } = OPENAI_KIND_OF[error.code];
    const status = error.code === 'FORBIDDEN' ? 404 : httpStatusOf(error);
    const retryAfter = error.details?.retryAfterSeconds;
    return new OpenAiError(status, type, code, error.message, typeof retryAfter === 'number' ? retryAfter : undefined);
  }
  const status = (error as FastifyError | undefined)?.statusCode;
  if (status === 413) return new OpenAiError(413, 'invalid_request_error', 'request_too_large', 'the request body is too large');
  if (status !== undefined && status >= 400 && status < 500) {
    // Malformed JSON, a wrong content type, an unknown route: fastify's words, our shape.
    return new OpenAiError(status, 'invalid_request_error', status === 404 ? 'not_found' : 'invalid_request', (error as Error).message);
  }
  return undefined;
}

export const errorBody = (error: OpenAiError): OpenAiErrorBody => ({
  error: { message: error.message, type: error.type, code: error.code, param: null },
});

export function sendOpenAiError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = asOpenAiError(error);
  if (!known) {
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send(errorBody(new OpenAiError(500, 'server_error', 'internal_error', 'Internal server error')));
  }
  if (known.retryAfterSeconds !== undefined) void reply.header('retry-after', String(Math.max(1, Math.ceil(known.retryAfterSeconds))));
  return reply.code(known.status).send(errorBody(known));
}
