/**
 * The composition root: opens the event store and the read-model database, runs the projection runtime, wires the
 * slices (app-slices.ts) and the GraphQL server, and starts what ROLE asks for. close() stops everything in reverse
 * order.
 */
import { mkdir } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { EventStore } from '../../contracts/eventstore.ts';
import type { Sql } from '../../contracts/sql.ts';
import {
  advisoryLockLease,
  createProjectionRuntime,
  singleProcessLease,
  type ProjectionRuntime,
} from '../../projections/runtime/index.ts';
import { loadSigningKey } from '../../query-side/auth/signing-key.ts';
import { createTokenService, type TokenService } from '../../query-side/auth/tokens.ts';
import { createServer } from '../../query-side/server/create-server.ts';
import { createPubSubBus, type PubSubBus } from '../../query-side/server/pubsub.ts';
import { ConfigError, type Config } from '../config/config.ts';
import { createLogger } from '../observability/logger.ts';
import { businessMetricsFeed } from '../observability/business-metrics.ts';
import { createMetrics } from '../observability/metrics.ts';
import { registerProjectorMetrics } from '../observability/projector-metrics.ts';
import { registerReadModelGauges } from '../observability/read-model-gauges.ts';
import { graphqlTracingPlugin, traceProjected } from '../observability/tracing.ts';
import { createPostgresSql } from '../sql/postgres.ts';
import { runsIn, type BackgroundService, type Role } from './background-service.ts';
import { APP_SLICES } from './app-slices.ts';
import { openEventStore } from './open-event-store.ts';
import { healthPlugin } from './health.ts';
import { startProbeServer, urlOf } from './probe-server.ts';
import { protectStoredPersonalData } from './personal-data.ts';
import { openReadModelDatabases } from './read-model-databases.ts';
import { createProjectors } from './projectors.ts';
import { configuredDenseWeight } from './settings.ts';
import type { DatabaseFeatures } from './slice.ts';
import { lexicalOnlyWarning } from './vector-support.ts';
import { schemaOf, wireSlices, type WiredSlices } from './wire-slices.ts';
import { registerWebApp } from '../../query-side/web-app/routes.ts';

export interface AppOptions {
  /** A PGlite datadir tarball for new embedded databases (tests: ops/sql/pglite-template.ts). */
  templateFile?: string;
  /** Redis key prefix of the rate-limit counters (tests isolate runs with it). */
  rateLimitNamespace?: string;
}

export interface App {
  config: Config;
  /** http://host:port of the GraphQL server; undefined when ROLE runs no api. */
  url: string | undefined;
  /** http://host:port of /healthz and /metrics, in every role (the GraphQL server's, or a probe server's). */
  probeUrl: string;
  server: FastifyInstance | undefined;
  /** The app's Prometheus registry (what /metrics shows). */
  metrics: Registry;
  /** The event store as everything uses it: personal data opened, or erased (ops/app/personal-data.ts). */
  eventStore: EventStore;
  /** The same store as written: personal fields sealed, as a copy of the log holds them. */
  sealedEventStore: EventStore;
  readModels: Sql;
  /** The chunks read model's database (readModels itself when both are one server database). */
  searchIndex: Sql;
  runtime: ProjectionRuntime;
  bus: PubSubBus;
  tokens: TokenService;
  /** What the slices added: resolvers, routes, services, feeds. */
  slices: WiredSlices;
  logger: Logger;
  /**
   * SIGTERM: /healthz turns 503 (draining) and the started services finish what they have in hand (answers being
   * generated and streamed) for at most graceMs; resolves 'timeout' when something was still running. Then close().
   */
  drain(graceMs: number): Promise<'drained' | 'timeout'>;
  close(): Promise<void>;
}

const runsApi = (role: Role) => role === 'all' || role === 'api';
const runsProjectors = (role: Role) => role === 'all' || role === 'projector';

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  if (config.ROLE !== 'all' && (!config.EVENTSTORE_URL || !config.DATABASE_URL)) {
    // An embedded PGlite database belongs to one process: split roles need shared servers.
    throw new ConfigError(
      `ROLE=${config.ROLE} runs next to other processes: set EVENTSTORE_URL and DATABASE_URL (the embedded default serves ROLE=all only)`,
    );
  }
  const logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const closers: Array<{ name: string; close: () => Promise<unknown> }> = [];
  const close = async () => {
    for (const closer of closers.reverse()) {
      await closer.close().catch((error: unknown) => logger.error({ err: error }, `closing ${closer.name} failed`));
    }
    closers.length = 0;
  };
  const started = performance.now();
  const phases: Record<string, number> = {};
  let lap = started;
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - lap);
    lap = now;
  };
  try {
    await mkdir(config.dataDir, { recursive: true });
    // The databases open at once: each PGlite runs in its own worker thread, so this takes one opening, not three.
    const [openedStore, openedReadModels] = await Promise.allSettled([
      openEventStore({ url: config.EVENTSTORE_URL, dataDir: config.eventStoreDir, templateFile: options.templateFile }),
      openReadModelDatabases(config, { ...(options.templateFile && { templateFile: options.templateFile }) }),
    ]);
    if (openedStore.status === 'fulfilled') {
      closers.push({ name: 'event store', close: () => openedStore.value.close() });
    }
    if (openedReadModels.status === 'fulfilled') {
      closers.push({ name: 'read models', close: () => openedReadModels.value.close() });
    }
    if (openedStore.status === 'rejected') throw openedStore.reason;
    if (openedReadModels.status === 'rejected') throw openedReadModels.reason;
    const { readModels, searchIndex } = openedReadModels.value;
    const sealedEventStore = openedStore.value;
    const personalData = await protectStoredPersonalData(sealedEventStore, readModels);
    const eventStore = personalData.eventStore;
    phase('databases');
    const features: DatabaseFeatures = { searchIndexVectors: openedReadModels.value.searchIndexVectors };
    const searchWarning = lexicalOnlyWarning(features.searchIndexVectors, configuredDenseWeight(config));
    if (searchWarning) logger.warn(searchWarning);

    const bus = createPubSubBus({ redisUrl: config.REDIS_URL });
    closers.push({ name: 'pubsub', close: () => bus.close() });
    const tokens = createTokenService({
      key: await loadSigningKey({ jwtSecret: config.JWT_SECRET, dataDir: config.dataDir }),
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    });

    const metrics = createMetrics();
    // Slices give their feeds once the runtime exists; the runtime calls them through this list.
    const feeds: WiredSlices['feeds'] = [];
    const projectors = createProjectors(config, features);
    const runtime = createProjectionRuntime({
      sql: readModels,
      databases: openedReadModels.value.byProjector,
      eventStore,
      projectors,
      logger: logger.child({ component: 'projections' }),
      lease: config.DATABASE_URL
        ? advisoryLockLease(createPostgresSql(config.DATABASE_URL, { max: 1, name: 'projection-lease' }))
        : singleProcessLease(),
      waitTimeoutMs: config.READ_YOUR_WRITES_TIMEOUT_MS,
      afterCommit: async (projector, events) => {
        traceProjected(projector, events);
        for (const feed of feeds) await feed(projector, events);
      },
    });
    const waitForPosition = (
      position: string,
      timeoutMs = config.READ_YOUR_WRITES_TIMEOUT_MS,
      projectors?: readonly string[],
    ) => runtime.waitForPosition(position, { timeoutMs, ...(projectors && { projectors }) });

    // One process running everything: the projectors' shared reader reads every event anyway, so the other
    // subscribers (the saga, the ingestion worker, reactors) take theirs from it instead of each asking the store
    // after every append. Split roles keep the store's own, filtered subscriptions (a saga process runs no projector).
    const sliceStore: EventStore =
      config.ROLE === 'all' ? { ...eventStore, subscribeToAll: (subscribe) => runtime.subscribeToAll(subscribe) } : eventStore;
    const slices = await wireSlices(APP_SLICES, {
      config,
      eventStore: sliceStore,
      readModels,
      searchIndex,
      features,
      runtime,
      waitForPosition: (position, projectors) => waitForPosition(position, undefined, projectors),
      bus,
      tokens,
      logger,
      metrics: metrics.registry,
      personalDataKeys: personalData.keys,
      projectors,
      databaseOf: (projector) => openedReadModels.value.byProjector[projector] ?? readModels,
    });
    feeds.push(...slices.feeds);
    phase('slices');

    if (runsProjectors(config.ROLE)) {
      // Facts of the log and of the read models are counted where the projectors run (observability/metrics.ts).
      feeds.push(businessMetricsFeed(metrics.registry));
      registerProjectorMetrics(metrics.registry, { projectors: runtime, eventStore });
      registerReadModelGauges(metrics.registry, { readModels, projectors: runtime });
      await runtime.start();
      closers.push({ name: 'projection runtime', close: () => runtime.stop() });
    }
    phase('projections');
    const startedServices: BackgroundService[] = [];
    let draining = false;
    /** Graceful shutdown: lets the started services finish the work in hand, for at most graceMs; then close(). */
    const drain = async (graceMs: number) => {
      draining = true;
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
      const drained = Promise.all(startedServices.map((service) => service.drain?.())).then(() => 'drained' as const);
      const outcome = await Promise.race([drained, graceOver]);
      clearTimeout(timer);
      return outcome;
    };
    for (const service of slices.services) {
      if (!runsIn(service, config.ROLE)) continue;
      await service.start();
      startedServices.push(service);
      closers.push({ name: service.name, close: () => service.stop() });
    }
    phase('services');
    const health = healthPlugin({
      role: config.ROLE,
      projectors: () => (runsProjectors(config.ROLE) ? runtime.health() : []),
      services: () => startedServices.map((service) => ({ name: service.name, status: service.status?.() ?? 'running' })),
      warnings: () => (searchWarning ? [searchWarning] : []),
      draining: () => draining,
    });

    let server: FastifyInstance | undefined;
    let url: string | undefined;
    let probeUrl: string;
    if (runsApi(config.ROLE)) {
      const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 }) : undefined;
      if (redis) closers.push({ name: 'redis', close: () => redis.quit() });
      server = await createServer({
        schema: schemaOf(APP_SLICES),
        resolvers: slices.resolvers,
        tokens,
        ...(slices.resolveUser && { resolveUser: slices.resolveUser }),
        waitForPosition,
        readYourWritesTimeoutMs: config.READ_YOUR_WRITES_TIMEOUT_MS,
        maxDepth: config.GRAPHQL_MAX_DEPTH,
        maxComplexity: config.GRAPHQL_MAX_COMPLEXITY,
        maxAliases: config.GRAPHQL_MAX_ALIASES,
        bodyLimitBytes: config.BODY_LIMIT_BYTES,
        rateLimitPerMinute: config.RATE_LIMIT_AUTH_PER_MINUTE,
        ...(redis && { redis }),
        ...(options.rateLimitNamespace && { rateLimitNamespace: options.rateLimitNamespace }),
        trustProxy: config.TRUST_PROXY,
        bus,
        logLevel: config.LOG_LEVEL,
        logger,
        plugins: [
          health,
          metrics.httpPlugin,
          metrics.graphqlPlugin,
          graphqlTracingPlugin,
          ...slices.plugins,
          (app) => registerWebApp(app, { dir: config.uiDir }),
        ],
      });
      const app = server;
      closers.push({ name: 'http server', close: () => app.close() });
      await server.listen({ port: config.PORT, host: config.HOST });
      url = probeUrl = urlOf(server, config.PORT);
      phase('server');
    } else {
      // No API here, but still probed and scraped on PORT like every process.
      const probes = await startProbeServer({ host: config.HOST, port: config.PORT, logger, plugins: [health, metrics.httpPlugin] });
      closers.push({ name: 'probe server', close: () => probes.server.close() });
      probeUrl = probes.url;
      phase('server');
    }
    logger.info({ role: config.ROLE, startupMs: Math.round(performance.now() - started), phases }, 'started');

    return {
      config,
      url,
      probeUrl,
      server,
      metrics: metrics.registry,
      eventStore,
      sealedEventStore,
      readModels,
      searchIndex,
      runtime,
      bus,
      tokens,
      slices,
      logger,
      drain,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
