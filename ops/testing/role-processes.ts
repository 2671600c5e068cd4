/**
 * Real `npm start` processes in a ROLE (test code only): `ops/main.ts` forked with tsx, sharing the servers a test
 * gives them in `env`. A process is ready once it printed where its /healthz is (every role prints it; an api also
 * where its GraphQL is).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chunkMigrations } from '../../projections/chunks/schema.ts';
import { TEST_REDIS_URL, type TestDatabase } from './databases.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface RoleProcess {
  role: string;
  child: ChildProcess;
  /** http://localhost:PORT of /healthz and /metrics. */
  probeUrl: string;
  /** The api's http://localhost:PORT (GraphQL), for ROLE=api. */
  url?: string;
}

/** Starts `ops/main.ts` in its role; resolves once it printed where it can be probed (and, for an api, reached). */
export function startRole(role: string, env: Record<string, string>): Promise<RoleProcess> {
  const child = fork(MAIN, [], {
    execArgv: ['--import', TSX],
    env: { ...process.env, ...env, ROLE: role },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`ROLE=${role} did not start: ${output}`)), 120_000);
    child.stdout!.on('data', (data: Buffer) => {
      output += String(data);
      const url = /GraphQL:\s+(http:\/\/\S+)\/graphql/.exec(output)?.[1];
      const probeUrl = /Health:\s+(http:\/\/\S+)\/healthz/.exec(output)?.[1];
      if (probeUrl && (role !== 'api' || url)) {
        clearTimeout(timer);
        resolve({ role, child, probeUrl, ...(url && { url }) });
      }
    });
    child.once('exit', (code) => reject(new Error(`ROLE=${role} exited with ${code}: ${output}`)));
  });
}

export function stopRole({ child }: RoleProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * The Postgres server of our build machines has no pgvector, so the chunks projection cannot create its tables there
 * (it fails alone; the other projectors run on). The saga's retrieval reads only the lexical ones: they are created
 * here from the projection's own migrations, vectors as plain arrays and without the HNSW index.
 */
export async function createLexicalSearchTables(db: TestDatabase): Promise<void> {
  for (const migration of chunkMigrations(8)) {
    await db.sql.exec(migration.sql.replace(/vector\(\d+\)/g, 'real[]').replace(/CREATE INDEX chunk_vectors_embedding_idx[^;]*;/, ''));
  }
}

/**
 * The environment every process of a split-role test shares: the same servers, secret and chat model (the OpenAI
 * stub), generous auth rate limits and a signup grant to ask with.
 */
export function sharedRoleEnv(options: {
  dataDir: string;
  events: TestDatabase;
  readModels: TestDatabase;
  stubBaseUrl: string;
  model: string;
  logLevel?: string;
}): Record<string, string> {
  const { model } = options;
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    LOG_LEVEL: options.logLevel ?? 'warn',
    EVENTSTORE_URL: options.events.url,
    DATABASE_URL: options.readModels.url,
    REDIS_URL: TEST_REDIS_URL,
    JWT_SECRET: 'a-test-secret-shared-by-every-instance-000',
    RATE_LIMIT_AUTH_PER_MINUTE: '1000',
    OPENAI_BASE_URL: options.stubBaseUrl,
    OPENAI_API_KEY: 'sk-test',
    CHAT_MODEL: model,
    PRICES: JSON.stringify({ [model]: { promptPer1k: 1000, completionPer1k: 2000 } }),
    SEARCH_DENSE_WEIGHT: '0',
    SIGNUP_GRANT: '5000000',
  };
}
