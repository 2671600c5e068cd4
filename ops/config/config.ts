/**
 * The one place that reads the environment. Everything else receives a Config.
 * Names follow docs/ARCHITECTURE.md's configuration section; README.md has the table.
 */
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_PARSE_LIMITS } from '../../command-side/ingestion/parsing/limits.ts';
import { priceTableSchema, type ModelPrice, type PriceTable } from '../../contracts/wallet.ts';
import { MAX_SEARCH_LIMIT } from '../../query-side/search/search.ts';
import { BUILT_WEB_APP_DIR } from '../web-app/build-web-app.ts';

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
  /** The search index (chunks, postings, pgvector): default DATABASE_URL, or an embedded PGlite of its own. */
  SEARCH_DATABASE_URL: optional(url(['postgres', 'postgresql'])),
  REDIS_URL: optional(url(['redis', 'rediss'])),
  OPENAI_BASE_URL: optional(url(['http', 'https'])),
  OPENAI_API_KEY: optional(z.string()),
  CHAT_MODEL: z.string().default('qwen-plus'),
  EMBEDDING_MODEL: z.string().default('text-embedding-v2'),
  EMBEDDING_DIMENSIONS: positiveInt.default(1536),
  // Embeddings and search (INGEST-B): see query-side/search/README.md for why the dense weight defaults as it does.
  EMBEDDING_BATCH_SIZE: positiveInt.default(10),
  EMBEDDING_MAX_RETRIES: nonNegativeInt.default(4),
  SEARCH_LEXICAL_WEIGHT: z.coerce.number().min(0).default(1),
  /** Unset: 0 with the local embedder (it lowers quality), 0.5 with a real embedding model. */
  SEARCH_DENSE_WEIGHT: optional(z.coerce.number().min(0)),
  SEARCH_CANDIDATES: positiveInt.default(50),
  BM25_K1: z.coerce.number().positive().default(1.2),
  BM25_B: z.coerce.number().min(0).max(1).default(0.75),
  // Rerank (query-side/search/rerank.ts): a second stage over the hybrid's best candidates when RERANK_BASE_URL is set.
  /** A rerank server (Jina, Cohere, Xinference, vLLM…): its root, a base ending in /v1, or the full …/rerank address. */
  RERANK_BASE_URL: optional(url(['http', 'https'])),
  RERANK_API_KEY: optional(z.string()),
  RERANK_MODEL: z.string().trim().min(1).default('bge-reranker-v2-m3'),
  /** Hybrid hits sent to the reranker per search (at least the limit asked for). */
  RERANK_CANDIDATES: positiveInt.max(MAX_SEARCH_LIMIT).default(20),
  /** A rerank answer not complete by then is given up: the search serves the hybrid order. */
  RERANK_TIMEOUT_MS: positiveInt.default(2000),
  ROLE: z.enum(ROLES).default('all'),
  JWT_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** auto: human-readable on a terminal, JSON lines otherwise (for collectors). */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  SIGNUP_GRANT: nonNegativeInt.default(1_000_000),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(15 * 60),
  REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(30 * 24 * 3600),
  RATE_LIMIT_AUTH_PER_MINUTE: positiveInt.default(20),
  /** Honour X-Forwarded-For for the client IP (rate limits): only behind a proxy you control. */
  /** The built web app served at `/` (default: ui/dist of this checkout, built by `npm start` when missing or stale). */
  UI_DIR: optional(z.string()),
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  GRAPHQL_MAX_DEPTH: positiveInt.default(10),
  GRAPHQL_MAX_COMPLEXITY: positiveInt.default(1000),
  GRAPHQL_MAX_ALIASES: positiveInt.default(50),
  READ_YOUR_WRITES_TIMEOUT_MS: positiveInt.default(5000),
  MAX_UPLOAD_BYTES: positiveInt.default(50 * 1024 * 1024),
  // Per-user quotas (query-side/quotas): 0 = no limit. The defaults leave room for the benchmarks, which queue a few
  // hundred documents and create a knowledge base every ~50 ms while a large file indexes.
  QUOTA_DOCUMENTS_IN_FLIGHT: nonNegativeInt.default(500),
  QUOTA_BYTES_STORED: nonNegativeInt.default(1024 ** 3),
  QUOTA_KNOWLEDGE_BASES: nonNegativeInt.default(10_000),
  // Keys not revoked, per user (personal keys) and per workspace: without a cap, per-key limits are no limit.
  QUOTA_API_KEYS: nonNegativeInt.default(100),
  // Parse sandbox (command-side/ingestion/parsing): a child process per file, killed over these limits.
  PARSE_TIMEOUT_MS: positiveInt.default(DEFAULT_PARSE_LIMITS.timeoutMs),
  PARSE_MEMORY_MB: positiveInt.default(DEFAULT_PARSE_LIMITS.memoryMb),
  PARSE_MAX_PAGES: positiveInt.default(DEFAULT_PARSE_LIMITS.maxPages),
  PARSE_MAX_CHARS: positiveInt.default(DEFAULT_PARSE_LIMITS.maxChars),
  DOCX_MAX_ENTRY_BYTES: positiveInt.default(DEFAULT_PARSE_LIMITS.maxZipEntryBytes),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(url(['http', 'https'])),
  // Blobs (ops/app/open-blob-store.ts): an S3-compatible bucket when BLOB_S3_BUCKET is set, DATA_DIR/blobs otherwise.
  BLOB_S3_BUCKET: optional(z.string().trim().min(3, 'must be a bucket name (at least 3 characters)')),
  /** An S3-compatible server (MinIO, Ceph RGW, Garage…); unset = AWS S3 in BLOB_S3_REGION. */
  BLOB_S3_ENDPOINT: optional(url(['http', 'https'])),
  BLOB_S3_REGION: z.string().trim().min(1).default('us-east-1'),
  /** Both or neither; neither = the AWS SDK's default credentials (AWS_* variables, the instance's role…). */
  BLOB_S3_ACCESS_KEY_ID: optional(z.string()),
  BLOB_S3_SECRET_ACCESS_KEY: optional(z.string()),
  /** Unset: path-style requests with BLOB_S3_ENDPOINT (what self-hosted servers expect), virtual-hosted on AWS. */
  BLOB_S3_FORCE_PATH_STYLE: optional(z.enum(['true', 'false']).transform((value) => value === 'true')),
  /** JSON {"model": {"promptPer1k": micros, "completionPer1k": micros}}; merged over the defaults below. */
  PRICES: optional(
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON: {"model": {"promptPer1k": n, "completionPer1k": n}}' });
          return z.NEVER;
        }
      })
      .pipe(priceTableSchema),
  ),
  /** SIGTERM: how long answers in hand may take to finish before the process closes (the rest is handed over). */
  SHUTDOWN_GRACE_MS: nonNegativeInt.default(25_000),
  /** A hold whose turn has not finished by then is released by the billing saga. */
  RESERVATION_TIMEOUT_MS: positiveInt.default(120_000),
  // Answers (command-side/turns/generation): the model's limits and how long a silent provider is waited for.
  /** The largest maxTokens a question may ask for (the model's output limit). */
  CHAT_MAX_OUTPUT_TOKENS: positiveInt.default(4096),
  /** maxTokens when a question gives none (capped by CHAT_MAX_OUTPUT_TOKENS). */
  CHAT_DEFAULT_MAX_TOKENS: positiveInt.default(1024),
  /** A provider that has sent no token by then is given up (the turn fails, its hold is released). */
  CHAT_FIRST_TOKEN_TIMEOUT_MS: positiveInt.default(30_000),
  /** A stream silent this long after its first token is treated as broken. */
  CHAT_STALL_TIMEOUT_MS: positiveInt.default(30_000),
});

export type Env = z.infer<typeof envSchema>;

/** Every variable the app reads (ops/deploy checks that docker-compose.yml sets no other on the app services). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as readonly (keyof Env)[];

/** The offline extractive answerer bills under this model name (docs/ARCHITECTURE.md: every model has a price). */
export const EXTRACTIVE_MODEL = 'extractive-local';
/** Micro-credits per 1,000 tokens when PRICES does not say otherwise. */
export const DEFAULT_CHAT_PRICE: ModelPrice = { promptPer1k: 800, completionPer1k: 2_000 };
export const DEFAULT_EXTRACTIVE_PRICE: ModelPrice = { promptPer1k: 100, completionPer1k: 100 };

export interface Config extends Env {
  /** Absolute DATA_DIR. */
  dataDir: string;
  /** Where the embedded PGlite databases live when no server URL is given. */
  eventStoreDir: string;
  readModelDir: string;
  searchIndexDir: string;
  /** Absolute UI_DIR. */
  uiDir: string;
  /** Price per model: defaults for CHAT_MODEL and EXTRACTIVE_MODEL, overridden by PRICES. */
  prices: PriceTable;
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
    searchIndexDir: path.join(dataDir, 'searchindex'),
    uiDir: path.resolve(parsed.data.UI_DIR ?? BUILT_WEB_APP_DIR),
    prices: {
      [parsed.data.CHAT_MODEL]: DEFAULT_CHAT_PRICE,
      [EXTRACTIVE_MODEL]: DEFAULT_EXTRACTIVE_PRICE,
      ...parsed.data.PRICES,
    },
  };
}
