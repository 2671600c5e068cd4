/** Event metadata of a REST request (an upload, an OpenAI-compatible question): correlation id and trace context from the request, the actor. */
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { EventMetadata } from '../../contracts/eventstore.ts';
import type { AuthUser } from '../auth/tokens.ts';

const CORRELATION_ID = /^[\w.:-]{1,128}$/;

export function uploadMetadata(request: FastifyRequest, user: Pick<AuthUser, 'id'>): EventMetadata {
  const given = request.headers['x-correlation-id'];
  const traceparent = request.headers.traceparent;
  return {
    correlationId: typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID(),
    causationId: randomUUID(),
    userId: user.id,
    ...(typeof traceparent === 'string' && traceparent.length <= 128 && { traceparent }),
  };
}
