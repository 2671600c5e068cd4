/**
 * Rate limits that resolvers check themselves (login and register: per client IP and per email), built on
 * @fastify/rate-limit's programmatic limiter. The counters live in Redis when a client is given (shared by every
 * api instance), in memory otherwise.
 */
import rateLimitPlugin from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { DomainError } from '../../contracts/errors.ts';

export type RateLimitedAction = 'login' | 'register';

export interface RateLimitOptions {
  perMinute: number;
  redis?: Redis | undefined;
  /** Redis key prefix; tests give each run its own. */
  namespace?: string;
}

/** Checks one attempt of `action`; throws RATE_LIMITED when the IP or the subject is over its limit. */
export type RateLimitCheck = (request: FastifyRequest, action: RateLimitedAction, subject?: string) => Promise<void>;

const KEY = Symbol('rateLimitKey');
type KeyedRequest = FastifyRequest & { [KEY]: string };

export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<RateLimitCheck> {
  await app.register(rateLimitPlugin, {
    global: false,
    redis: options.redis,
    nameSpace: options.namespace ?? 'ka-rate-limit:',
    skipOnError: false,
  });
  const limiter = app.createRateLimit({
    max: options.perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => (request as KeyedRequest)[KEY],
  });

  const hit = async (request: FastifyRequest, key: string): Promise<void> => {
    // A child of the request object carries the key, so concurrent checks in one request do not collide.
    const keyed = Object.create(request, { [KEY]: { value: key } }) as KeyedRequest;
    const result = await limiter(keyed);
    if (!result.isAllowed && result.isExceeded) {
      throw new DomainError('RATE_LIMITED', `too many attempts; try again in ${result.ttlInSeconds} s`, {
        retryAfterSeconds: result.ttlInSeconds,
      });
    }
  };

  return async (request, action, subject) => {
    await hit(request, `${action}:ip:${request.ip}`);
    if (subject !== undefined) await hit(request, `${action}:subject:${subject.trim().toLowerCase()}`);
  };
}
