/**
 * The GraphQL server: fastify 5 + mercurius 16 on the contract schema (its root and the slices' parts), with bearer
 * auth over HTTP and graphql-ws, the error mapping, depth/complexity/body limits, rate limits and subscriptions on a
 * (possibly Redis-backed) bus.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { GraphQLError, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import mercurius from 'mercurius';
import { rootSchema } from '../../contracts/graphql/root.ts';
import { authContext, createAuthenticator, type Authenticator, type ResolveUser } from '../auth/authenticate.ts';
import type { AuthUser, TokenService } from '../auth/tokens.ts';
import { registerGraphiql } from '../graphiql/routes.ts';
import { createBoundedPubSub } from './bounded-pubsub.ts';
import { buildRequestContext, type AppContext, type ContextDeps, type ResolverMap } from './context.ts';
import { formatExecutionErrors } from './errors.ts';
import { handleHttpError } from './http-errors.ts';
import { assertWithinLimits, QueryLimitsExceeded, type QueryLimits } from './limits.ts';
import { MicrosScalar } from './micros.ts';
import type { PubSubBus } from './pubsub.ts';
import { registerRateLimit } from './rate-limit.ts';
import { NOT_YET_VISIBLE_EXTENSION, type WaitForPosition } from './read-your-writes.ts';
import { mergeResolvers } from './resolvers.ts';

/** Extra routes or hooks (uploads, health, metrics), registered after GraphQL with the server's authenticator. */
export type ServerPlugin = (app: FastifyInstance, deps: { authenticator: Authenticator }) => Promise<void> | void;

export interface ServerOptions {
  /** The slices' parts of the public schema (contracts/graphql), served on contracts/graphql/root.ts. */
  schema: readonly string[];
  resolvers: readonly ResolverMap[];
  tokens: TokenService;
  /** Looks up a token's user; undefined = unknown user (UNAUTHENTICATED). Default: trust the token's claims. */
  resolveUser?: ResolveUser;
  waitForPosition?: WaitForPosition;
  readYourWritesTimeoutMs: number;
  maxDepth: number;
  maxComplexity: number;
  /** Aliases one operation may use (default 50). */
  maxAliases?: number;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  /** Rate-limit counters in Redis (shared by instances) instead of memory. */
  redis?: Redis;
  rateLimitNamespace?: string;
  /** Take the client IP from X-Forwarded-For (only behind a proxy you control). */
  trustProxy?: boolean;
  bus: PubSubBus;
  logLevel?: string;
  /** The process's logger (format, trace ids); default: fastify's own at logLevel. */
  logger?: FastifyBaseLogger;
  /** Messages a subscription may have waiting for a slow client before it is ended (default 10,000). */
  subscriptionMaxQueued?: number;
  /** Serve GraphiQL at /graphiql (default true). */
  graphiql?: boolean;
  plugins?: readonly ServerPlugin[];
}

const userOf = new WeakMap<FastifyRequest, AuthUser | undefined>();

function connectionAuthorization(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const record = payload as Record<string, unknown>;
  const headers = record.headers as Record<string, unknown> | undefined;
  return record.authorization ?? record.Authorization ?? headers?.authorization ?? headers?.Authorization;
}

/** Subscription texts whose validation verdict is kept, and the longest such text. */
const MAX_REMEMBERED_SUBSCRIPTIONS = 256;
const MAX_REMEMBERED_SUBSCRIPTION_CHARS = 4096;

/** The first error of our limits or GraphQL's validation rules on a subscription document, if any. */
function subscriptionVerdict(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits): GraphQLError | undefined {
  try {
    assertWithinLimits(schema, document, limits);
    return validate(schema, document)[0];
  } catch (error) {
    if (!(error instanceof QueryLimitsExceeded)) throw error;
    return error.errors[0];
  }
}

export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: { level: options.logLevel ?? 'info' } }),
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy ?? false,
  });
  const authenticator = createAuthenticator(options.tokens, options.resolveUser);
  const rateLimit = await registerRateLimit(app, {
    perMinute: options.rateLimitPerMinute,
    redis: options.redis,
    namespace: options.rateLimitNamespace,
  });
  const deps: ContextDeps = {
    waitForPosition: options.waitForPosition,
    readYourWritesTimeoutMs: options.readYourWritesTimeoutMs,
    rateLimit,
    publish: options.bus.publish,
  };

  const limits: QueryLimits = {
    maxDepth: options.maxDepth,
    maxComplexity: options.maxComplexity,
    maxAliases: options.maxAliases ?? 50,
  };

  await app.register(mercurius, {
    schema: [rootSchema, ...options.schema],
    resolvers: mergeResolvers([{ Micros: MicrosScalar } as ResolverMap, ...options.resolvers]) as never,
    path: '/graphql',
    graphiql: false,
    // One operation per request: a batch (a JSON array) is refused, so the limits bound a request's work.
    allowBatchedQueries: false,
    additionalRouteOptions: {
      // A present but invalid Authorization header fails the whole request before GraphQL runs.
      preHandler: async (request) => {
        if ((request as { ws?: boolean }).ws) return; // WebSocket upgrades: verifyClient and onConnect check them
        userOf.set(request, await authenticator.authenticate(request.headers.authorization));
      },
    },
    context: (request) => buildRequestContext(deps, request, userOf.get(request)),
    errorFormatter: (execution, context) => formatExecutionErrors(execution, context.app.log),
    errorHandler: (error, request, reply) => {
      handleHttpError(error, request, reply);
    },
    subscription: {
      pubsub: createBoundedPubSub(options.bus.emitter, options.subscriptionMaxQueued ?? 10_000) as never,
      keepAlive: 30_000,
      verifyClient: (info, next) => {
        authenticator.authenticate(info.req.headers.authorization).then(
          () => next(true),
          () => next(false, 401, 'Unauthorized'),
        );
      },
      context: async (_socket, request) =>
        buildRequestContext(deps, request, await authenticator.authenticate(request.headers.authorization)),
      // A token in connection_init overrides the upgrade header; an invalid one refuses the connection.
      onConnect: async (data) => {
        const authorization = connectionAuthorization(data.payload);
        if (authorization === undefined) return true;
        try {
          return { ...authContext(await authenticator.authenticate(authorization)) };
        } catch {
          return false;
        }
      },
    },
  });

  // The limits run before GraphQL's validation, whose cost grows with the query (see limits.ts).
  app.graphql.addHook('preValidation', async (schema, document) => {
    assertWithinLimits(schema, document, limits);
  });
  // mercurius validates nothing on WebSocket operations: run our limits and GraphQL's rules there too. A chat client
  // sends the same subscription text for every answer, so the verdict is kept per text (short texts, a few hundred).
  const verdicts = new Map<string, GraphQLError | undefined>();
  const verdictOf = (schema: GraphQLSchema, document: DocumentNode) => {
    const text = document.loc?.source.body;
    if (text === undefined || text.length > MAX_REMEMBERED_SUBSCRIPTION_CHARS) return subscriptionVerdict(schema, document, limits);
    if (!verdicts.has(text)) {
      if (verdicts.size >= MAX_REMEMBERED_SUBSCRIPTIONS) verdicts.delete(verdicts.keys().next().value!);
      verdicts.set(text, subscriptionVerdict(schema, document, limits));
    }
    return verdicts.get(text);
  };
  app.graphql.addHook('preSubscriptionExecution', async (schema, document) => {
    const first = verdictOf(schema, document);
    if (first) {
      throw new GraphQLError(first.message, {
        nodes: first.nodes ?? null,
        extensions: { ...first.extensions, code: first.extensions.code ?? 'GRAPHQL_VALIDATION_FAILED' },
      });
    }
  });

  // Saved writes the read models did not show in time: the answer holds what was decided, and says so here.
  app.graphql.addHook('onResolution', async (execution, context) => {
    const { pendingWrites } = context as AppContext;
    if (pendingWrites.length === 0) return;
    execution.extensions = { ...execution.extensions, [NOT_YET_VISIBLE_EXTENSION]: pendingWrites };
  });

  if (options.graphiql ?? true) await registerGraphiql(app);
  for (const plugin of options.plugins ?? []) await plugin(app, { authenticator });
  return app;
}
