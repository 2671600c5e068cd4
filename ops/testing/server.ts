/**
 * startTestApp(): the whole app (event store, read models, projections, features, GraphQL server) on port 0 in a
 * fresh temporary DATA_DIR, with PGlite databases made from the cached template (~1 s). Optionally the event store
 * on this machine's Postgres and Redis for pubsub and rate limits. For e2e tests: real HTTP and WebSocket clients.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../app/create-app.ts';
import { loadConfig } from '../config/config.ts';
import { pgliteTemplateFile } from '../sql/pglite-template.ts';
import { TEST_REDIS_URL, createTestPostgres, type TestDatabase } from './databases.ts';
import {
  postGraphql,
  subscribeGraphql,
  type GqlAuth,
  type GqlResult,
  type SubscribeOptions,
  type TestSubscription,
} from './graphql-clients.ts';

export interface TestAppOptions {
  /** Extra environment (config names of ops/config), e.g. { RATE_LIMIT_AUTH_PER_MINUTE: '3' }. */
  env?: Record<string, string>;
  /** Event store on a fresh database of the local Postgres server instead of PGlite. */
  postgresEventStore?: boolean;
  /** Read models on a fresh database of the local Postgres server instead of PGlite. */
  postgresReadModels?: boolean;
  /** Redis at 127.0.0.1:6379 for pubsub and rate limits (with a key prefix of its own). */
  redis?: boolean;
}

export interface TestApp {
  /** http://localhost:PORT (changes on restart). */
  url: string;
  /** ws://localhost:PORT */
  wsUrl: string;
  app: App;
  dataDir: string;
  /** POST /graphql; token = bearer access token (or { headers } for raw control). */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, auth?: GqlAuth): Promise<GqlResult<T>>;
  /** A graphql-ws subscription; token goes in connection_init. */
  subscribe<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | SubscribeOptions,
  ): TestSubscription<T>;
  /** Closes the app and starts it again on the same data (a new port). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ka-e2e-'));
  let postgres: TestDatabase | undefined;
  let readModelsDb: TestDatabase | undefined;
  const subscriptions = new Set<TestSubscription<never>>();
  try {
    if (options.postgresEventStore) postgres = await createTestPostgres({ max: 1 });
    if (options.postgresReadModels) readModelsDb = await createTestPostgres({ max: 1 });
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      ...(postgres && { EVENTSTORE_URL: postgres.url }),
      ...(readModelsDb && { DATABASE_URL: readModelsDb.url }),
      ...(options.redis && { REDIS_URL: TEST_REDIS_URL }),
      ...options.env,
    });
    const appOptions = {
      templateFile: await pgliteTemplateFile(),
      rateLimitNamespace: `ka-test-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`,
    };
    const start = async () => {
      const app = await createApp(config, appOptions);
      if (!app.url) throw new Error('the test app runs no api (ROLE)');
      return app;
    };
    let app = await start();

    const testApp: TestApp = {
      url: app.url!,
      wsUrl: app.url!.replace(/^http/, 'ws'),
      app,
      dataDir,
      gql: (query, variables, auth) => postGraphql(testApp.url, query, variables, auth),
      subscribe<T>(query: string, variables?: Record<string, unknown>, token?: string | SubscribeOptions) {
        const subscribeOptions = typeof token === 'string' ? { token } : (token ?? {});
        const subscription = subscribeGraphql<T>(testApp.wsUrl, query, variables, subscribeOptions);
        subscriptions.add(subscription as TestSubscription<never>);
        return subscription;
      },
      async restart() {
        await closeSubscriptions();
        await app.close();
        app = await start();
        testApp.app = app;
        testApp.url = app.url!;
        testApp.wsUrl = app.url!.replace(/^http/, 'ws');
      },
      async close() {
        await closeSubscriptions();
        await app.close();
        await postgres?.drop();
        await readModelsDb?.drop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
    const closeSubscriptions = async () => {
      await Promise.all([...subscriptions].map((s) => s.close().catch(() => undefined)));
      subscriptions.clear();
    };
    return testApp;
  } catch (error) {
    await postgres?.drop().catch(() => undefined);
    await readModelsDb?.drop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
