/**
 * A GraphQL server alone (no databases) with test resolvers, on port 0, for e2e tests of the server's own
 * behaviour: auth, errors, limits, scalars, rate limits, subscriptions.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import {
  postGraphql,
  subscribeGraphql,
  type GqlAuth,
  type GqlResult,
  type SubscribeOptions,
  type TestSubscription,
} from '../../ops/testing/graphql-clients.ts';
import { TEST_REDIS_URL } from '../../ops/testing/databases.ts';
import { PUBLIC_SCHEMA_PARTS } from '../../ops/testing/public-schema.ts';
import { DomainError } from '../../contracts/errors.ts';
import { createTokenService, type TokenService } from '../auth/tokens.ts';
import type { AppContext, ResolverMap } from './context.ts';
import { createServer, type ServerOptions } from './create-server.ts';
import { createPubSubBus, type PubSubBus } from './pubsub.ts';

export const TEST_SIGNING_KEY = new TextEncoder().encode('test-signing-key-of-at-least-32-bytes!!');

export interface TestServer {
  url: string;
  wsUrl: string;
  app: FastifyInstance;
  tokens: TokenService;
  bus: PubSubBus;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, auth?: GqlAuth): Promise<GqlResult<T>>;
  subscribe<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: SubscribeOptions,
  ): TestSubscription<T>;
  close(): Promise<void>;
}

export type TestServerOptions = Partial<Omit<ServerOptions, 'bus' | 'redis'>> & {
  /** Rate limits and pubsub on the local Redis (namespace given or unique). */
  redis?: boolean;
};

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const tokens = options.tokens ?? createTokenService({ key: TEST_SIGNING_KEY, accessTokenTtlSeconds: 900 });
  const bus = createPubSubBus({ redisUrl: options.redis ? TEST_REDIS_URL : undefined });
  const redis = options.redis ? new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 }) : undefined;
  const { redis: _useRedis, ...serverOptions } = options;
  const app = await createServer({
    schema: PUBLIC_SCHEMA_PARTS,
    resolvers: [],
    readYourWritesTimeoutMs: 1000,
    maxDepth: 10,
    maxComplexity: 1000,
    bodyLimitBytes: 1024 * 1024,
    rateLimitPerMinute: 20,
    logLevel: 'silent',
    rateLimitNamespace: `ka-test-${randomBytes(6).toString('hex')}:`,
    ...serverOptions,
    tokens,
    bus,
    ...(redis && { redis }),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}`;
  const subscriptions = new Set<TestSubscription<never>>();
  return {
    url,
    wsUrl,
    app,
    tokens,
    bus,
    gql: (query, variables, auth) => postGraphql(url, query, variables, auth),
    subscribe<T>(query: string, variables?: Record<string, unknown>, subscribeOptions?: SubscribeOptions) {
      const subscription = subscribeGraphql<T>(wsUrl, query, variables, subscribeOptions);
      subscriptions.add(subscription as TestSubscription<never>);
      return subscription;
    },
    async close() {
      await Promise.all([...subscriptions].map((s) => s.close().catch(() => undefined)));
      await app.close();
      await bus.close();
      await redis?.quit();
    },
  };
}

const walletOf = (userId: string, amount: number) => ({ userId, balance: amount, reserved: 0, available: amount, ledger: [] });

/**
 * Resolvers standing in for the features, exercising what the server provides: the context (user, requireUser,
 * requireAdmin, rateLimit, pubsub), the Micros scalar and the error mapping.
 */
export const testResolvers: ResolverMap = {
  Query: {
    me: (_root: unknown, _args: unknown, ctx: AppContext) => (ctx.user ? { ...ctx.user, displayName: null } : null),
    wallet: (_root: unknown, args: { userId?: string }, ctx: AppContext) => {
      const caller = ctx.requireUser();
      if (args.userId && args.userId !== caller.id) ctx.requireAdmin();
      return walletOf(args.userId ?? caller.id, 0);
    },
    turn: (_root: unknown, args: { id: string }) => {
      throw new DomainError('NOT_FOUND', `no turn ${args.id}`, { turnId: args.id });
    },
    conversations: () => {
      throw new Error('connection to postgres://admin:hunter2@db failed');
    },
    knowledgeBases: () => [],
  },
  Mutation: {
    deposit: (_root: unknown, args: { userId: string; amount: number }, ctx: AppContext) => {
      ctx.requireAdmin();
      return walletOf(args.userId, args.amount);
    },
    login: async (_root: unknown, args: { email: string }, ctx: AppContext) => {
      await ctx.rateLimit('login', args.email);
      throw new DomainError('UNAUTHENTICATED', 'wrong email or password');
    },
  },
  Subscription: {
    walletUpdated: {
      subscribe: (_root: unknown, _args: unknown, ctx: AppContext) =>
        ctx.pubsub.subscribe(`test-wallet:${ctx.requireUser().id}`),
    },
  },
};
