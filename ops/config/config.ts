/**
 * The one place that reads the environment. Everything else receives a Config.
 * Names follow ARCHITECTURE.md's configuration section; README.md has the table.
 */
import path from 'node:path';
import { z } from 'zod';

const url = (protocols: readonly string[]) =>
  z
    .string()
    .trim()
    .refine((value) => protocols.some((p) => value.startsWith(`${p}://`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const ROLES = ['all', 'api', 'projector', 'worker', 'saga'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  EVENTSTORE_URL: optional(url(['esdb', 'esdb+discover', 'postgres', 'postgresql'])),
  DATABASE_URL: optional(url(['postgres', 'postgresql'])),
  REDIS_URL: optional(url(['redis', 'rediss'])),
  OPENAI_BASE_URL: optional(url(['http', 'https'])),
  OPENAI_API_KEY: optional(z.string()),
  CHAT_MODEL: z.string().default('qwen-plus'),
  EMBEDDING_MODEL: z.string().default('text-embedding-v2'),
  EMBEDDING_DIMENSIONS: positiveInt.default(1536),
  ROLE: z.enum(ROLES).default('all'),
  JWT_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIGNUP_GRANT: nonNegativeInt.default(1_000_000),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(15 * 60),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(30 * 24 * 3600),
  RATE_LIMIT_AUTH_PER_MINUTE: positiveInt.default(20),
  BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  GRAPHQL_MAX_DEPTH: positiveInt.default(10),
  GRAPHQL_MAX_COMPLEXITY: positiveInt.default(1000),
  READ_YOUR_WRITES_TIMEOUT_MS: positiveInt.default(5000),
  MAX_UPLOAD_BYTES: positiveInt.default(50 * 1024 * 1024),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(url(['http', 'https'])),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  /** Absolute DATA_DIR. */
  dataDir: string;
  /** Where the embedded PGlite databases live when no server URL is given. */
  eventStoreDir: string;
  readModelDir: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  return {
    ...parsed.data,
    dataDir,
    eventStoreDir: path.join(dataDir, 'eventstore'),
    readModelDir: path.join(dataDir, 'readmodels'),
  };
}
