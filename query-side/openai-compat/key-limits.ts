/**
 * An API key's limits on the OpenAI-compatible routes. Requests per minute: @fastify/rate-limit's limiter, the one
 * login and register use (query-side/server/rate-limit.ts), so its counters are in Redis with REDIS_URL and shared
 * by every api instance. Credits per day: DailySpend (query-side/api-keys/daily-spend.ts), admitted with the turn's
 * worst-case hold before the turn is recorded. Either refusal is a 429 in OpenAI's shape with Retry-After.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKeyView } from '../../contracts/api-keys.ts';
import type { AskOptions } from '../../contracts/turn-commands.ts';
import { utcDayOf, type DailySpend, type SpendAdmission } from '../api-keys/daily-spend.ts';
import { OpenAiError } from './openai-errors.ts';

const LIMITED = Symbol('apiKeyLimited');
type LimitedRequest = FastifyRequest & { [LIMITED]: { id: string; perMinute: number } };

/** Counts a request of the key; a 429 when it is over its requests per minute. */
export type RequestRateLimit = (request: FastifyRequest, key: ApiKeyView) => Promise<void>;

export function requestRateLimit(app: FastifyInstance): RequestRateLimit {
  const limiter = app.createRateLimit({
    timeWindow: 60_000,
    max: async (request) => (request as LimitedRequest)[LIMITED].perMinute,
    keyGenerator: (request) => `apikey:${(request as LimitedRequest)[LIMITED].id}`,
  });
  return async (request, key) => {
    if (key.requestsPerMinute === null) return;
    // A child of the request object carries the key (as rate-limit.ts does), so nothing is added to the request.
    const limited = Object.create(request, { [LIMITED]: { value: { id: key.id, perMinute: key.requestsPerMinute } } }) as LimitedRequest;
    const result = await limiter(limited);
    if (!result.isAllowed && result.isExceeded) {
      throw new OpenAiError(
        429,
        'requests',
        'rate_limit_exceeded',
        `this API key is limited to ${key.requestsPerMinute} requests per minute; try again in ${result.ttlInSeconds} s`,
        result.ttlInSeconds,
      );
    }
  };
}

export interface CreditLimitDeps {
  dailySpend: DailySpend;
  /** What the ledger says the key was charged within [from, to): a new day counter's start. */
  chargedThroughKey(apiKeyId: string, from: string, to: string): Promise<number>;
  now(): Date;
}

/** The ask option that admits a question within the key's credits per day, and its settlement once answered. */
export interface CreditAdmission {
  askOptions: AskOptions;
  /** Settles the worst case admitted to the turn's cost; nothing when the key has no limit or nothing was admitted. */
  settle(cost: number): Promise<void>;
}

export function creditAdmission(deps: CreditLimitDeps, key: ApiKeyView): CreditAdmission {
  const limit = key.creditsPerDay;
  if (limit === null) return { askOptions: {}, settle: async () => undefined };
  let admitted: SpendAdmission | undefined;
  return {
    askOptions: {
      async admit({ amount }) {
        const now = deps.now();
        const { day, secondsLeft } = utcDayOf(now);
        const next = new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();
        const seed = () => deps.chargedThroughKey(key.id, `${day}T00:00:00.000Z`, next);
        const verdict = await deps.dailySpend.admit(key.id, day, amount, limit, seed);
        if (!verdict.admitted) {
          throw new OpenAiError(
            429,
            'insufficient_quota',
            'credits_per_day_exceeded',
            `this API key may spend ${limit} micro-credits per UTC day; ${verdict.spent} are spent or held, and this answer may cost up to ${amount}`,
            secondsLeft,
          );
        }
        admitted = verdict.admission;
      },
    },
    settle: async (cost) => {
      const admission = admitted;
      admitted = undefined;
      await admission?.settle(cost);
    },
  };
}
