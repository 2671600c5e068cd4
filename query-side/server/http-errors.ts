/**
 * Errors that end a request before GraphQL execution (bad bearer token, body too large, malformed JSON, mercurius
 * validation) get the same GraphQL-shaped body `{ data: null, errors: [{ message, extensions: { code } }] }` with a
 * fitting HTTP status. REST routes (uploads) share it, so a DomainError thrown there maps to its HTTP status.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLError } from 'graphql';
import { DomainError, httpStatusOf } from '../../contracts/errors.ts';
import { CODE_OF_STATUS, formatExecutionErrors } from './errors.ts';

export function handleHttpError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DomainError) {
    return reply.code(httpStatusOf(error)).send({
      data: null,
      errors: [{ message: error.message, extensions: { ...(error.details ?? {}), code: error.code } }],
    });
  }
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner)) {
    const { response } = formatExecutionErrors({ errors: [error as unknown as GraphQLError] }, request.log);
    return reply.code(error.statusCode ?? 400).send(response);
  }
  const status = error.statusCode ?? 500;
  if (status === 413) {
    return reply.code(413).send({
      data: null,
      errors: [{ message: 'request body is too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  }
  const code = CODE_OF_STATUS[status];
  if (status < 500 && code) {
    return reply.code(status).send({ data: null, errors: [{ message: error.message, extensions: { code } }] });
  }
  request.log.error({ err: error }, 'unexpected error');
  return reply
    .code(status >= 500 ? status : 500)
    .send({ data: null, errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL' } }] });
}
