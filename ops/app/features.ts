/**
 * Feature wiring: each feature builds its command handlers, resolvers, REST routes and background services from
 * the shared infrastructure here. Feature owners ADD their lines (small edits); keep the order: a feature may use
 * what an earlier one returned.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { createIdentityCommands } from '../../command-side/identity/identity-commands.ts';
import { createArgon2Hasher } from '../../command-side/identity/passwords.ts';
import { createKnowledgeBaseCommands } from '../../command-side/knowledge-base/knowledge-base-commands.ts';
import { createAuditResolvers } from '../../query-side/resolvers/audit.ts';
import { createIdentityResolvers, createUserLookup } from '../../query-side/resolvers/identity.ts';
import { createKnowledgeBaseResolvers } from '../../query-side/resolvers/knowledge-bases.ts';
import { createEmbedder } from '../../command-side/ingestion/embedding/create-embedder.ts';
import { createChunkSearch } from '../../query-side/search/search.ts';
import { usesDenseRanking } from '../../query-side/search/search-options.ts';
import { createSearchResolvers } from '../../query-side/search/resolvers.ts';
import path from 'node:path';
import { createLocalBlobStore } from '../../command-side/blobstore/local-blobstore.ts';
import { createDocumentCommands } from '../../command-side/documents/document-commands.ts';
import { createDocumentPipeline } from '../../command-side/ingestion/pipeline/create-pipeline.ts';
import { advisoryLockDocumentClaims } from '../../command-side/ingestion/pipeline/advisory-lock-claims.ts';
import { documentStatusPublisher } from '../../projections/documents/status-feed.ts';
import { createDocumentResolvers } from '../../query-side/resolvers/documents.ts';
import { documentUploadPlugin } from '../../query-side/upload/upload-route.ts';
import { createUploadQuota } from '../../query-side/upload/upload-quota.ts';
import { createWalletCommands } from '../../command-side/wallet/commands.ts';
import { WalletCommandHandler } from '../../command-side/wallet/handler.ts';
import { startSignupGrantReactor, type SignupGrantReactor } from '../../command-side/wallet/signup-grant.ts';
import { walletUpdatedPublisher } from '../../projections/wallet/wallet-feed.ts';
import { createWalletResolvers } from '../../query-side/resolvers/wallet.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import type { Position } from '../../contracts/position.ts';
import type { AfterCommit, ProjectionRuntime } from '../../projections/runtime/index.ts';
import type { ResolveUser } from '../../query-side/auth/authenticate.ts';
import type { TokenService } from '../../query-side/auth/tokens.ts';
import type { ResolverMap } from '../../query-side/server/context.ts';
import type { ServerPlugin } from '../../query-side/server/create-server.ts';
import type { PubSubBus } from '../../query-side/server/pubsub.ts';
import type { Config } from '../config/config.ts';
import type { Sql } from '../../contracts/sql.ts';
import type { BackgroundService } from './background-service.ts';
import { blobCollection } from './blob-collection.ts';
import { embedderOptionsOf, quotasOf, searchSettingsOf } from './settings.ts';
import { searchIndexReached } from './search-index-reached.ts';

/** Shared infrastructure every feature may use. */
export interface FeatureDeps {
  config: Config;
  eventStore: EventStore;
  /** The read-model database (projections write it, resolvers read it). */
  readModels: Sql;
  /** The search index's database (the chunks projection writes it, search reads it). */
  searchIndex: Sql;
  runtime: ProjectionRuntime;
  /**
   * Resolves once the named projectors (default: all) reflect `position` (bounded by READ_YOUR_WRITES_TIMEOUT_MS).
   */
  waitForPosition(position: Position, projectors?: readonly string[]): Promise<void>;
  /** Publishes to GraphQL subscribers on every api instance. */
  bus: PubSubBus;
  tokens: TokenService;
  logger: Logger;
}

export interface Features {
  resolvers: ResolverMap[];
  /** REST routes and hooks on the HTTP server (e.g. uploads). */
  plugins: ServerPlugin[];
  services: BackgroundService[];
  /** Called after projectors commit (e.g. to publish status changes once the rows are visible). */
  afterCommit: AfterCommit[];
  /** Looks a token's user up; unknown users are refused. Set by IDENTITY. */
  resolveUser?: ResolveUser;
}

export async function createFeatures(deps: FeatureDeps): Promise<Features> {
  const features: Features = { resolvers: [], plugins: [], services: [], afterCommit: [] };
  // IDENTITY: users, knowledge bases, audit trail.
  const clock = { now: () => new Date(), newId: randomUUID };
  const identity = createIdentityCommands({
    ...clock,
    store: deps.eventStore,
    passwords: createArgon2Hasher(),
    refreshTokenTtlSeconds: deps.config.REFRESH_TOKEN_TTL_SECONDS,
  });
  const knowledgeBases = createKnowledgeBaseCommands({ ...clock, store: deps.eventStore });
  const quotas = quotasOf(deps.config);
  features.resolvers.push(
    createIdentityResolvers({ commands: identity, tokens: deps.tokens, readModels: deps.readModels }),
    createKnowledgeBaseResolvers({ commands: knowledgeBases, readModels: deps.readModels, maxKnowledgeBases: quotas.knowledgeBases }),
    createAuditResolvers({ eventStore: deps.eventStore }),
  );
  features.resolveUser = createUserLookup(deps.readModels);
  // WALLET: one handler per process (its per-wallet queue and cache serve every caller: resolvers, billing saga).
  const wallets = new WalletCommandHandler(deps.eventStore);
  const walletCommands = createWalletCommands({ store: deps.eventStore, wallets, signupGrant: deps.config.SIGNUP_GRANT });
  features.resolvers.push(createWalletResolvers({ commands: walletCommands, readModels: deps.readModels }));
  features.afterCommit.push(walletUpdatedPublisher(deps.bus.publish));
  let signupGrants: SignupGrantReactor | undefined;
  features.services.push({
    name: 'signup grant',
    roles: ['saga'],
    async start() {
      signupGrants = await startSignupGrantReactor({
        store: deps.eventStore,
        wallets,
        sql: deps.readModels,
        grant: deps.config.SIGNUP_GRANT,
        onError: (error) => deps.logger.warn({ err: error }, 'signup grant failed; retrying'),
      });
    },
    stop: async () => signupGrants?.stop(),
  });
  // INGEST-B: embeddings and search (the same embedder serves the ingestion pipeline and the query side).
  const embedder = createEmbedder(embedderOptionsOf(deps.config));
  const settings = searchSettingsOf(deps.config, embedder.kind);
  const search = createChunkSearch({ sql: deps.searchIndex, embedder, ...settings });
  features.resolvers.push(createSearchResolvers({ search, readModels: deps.readModels }));
  // INGEST-C: documents — upload route, delete/reindex, the pipeline worker, the documentStatus subscription.
  const blobs = createLocalBlobStore(path.join(deps.config.dataDir, 'blobs'));
  const maxUploadBytes = deps.config.MAX_UPLOAD_BYTES;
  const collection = blobCollection({
    databaseUrl: deps.config.DATABASE_URL,
    store: deps.eventStore,
    blobs,
    readModels: deps.readModels,
    runtime: deps.runtime,
    waitTimeoutMs: deps.config.READ_YOUR_WRITES_TIMEOUT_MS,
    logger: deps.logger.child({ component: 'blob-collector' }),
  });
  const documents = createDocumentCommands({ store: deps.eventStore, blobs, maxUploadBytes, lockBlob: collection.lockBlob });
  features.resolvers.push(createDocumentResolvers({ commands: documents, readModels: deps.readModels }));
  // An upload waits only for the read models that show it, not for chunks still being indexed for other documents.
  const uploadVisible = (position: Position) =>
    deps.runtime.waitForPosition(position, {
      projectors: ['documents', 'knowledge-bases'],
      timeoutMs: deps.config.READ_YOUR_WRITES_TIMEOUT_MS,
    });
  const quota = createUploadQuota({ readModels: deps.readModels, quotas });
  features.plugins.push(documentUploadPlugin({ commands: documents, maxUploadBytes, waitForPosition: uploadVisible, quota }));
  features.afterCommit.push(documentStatusPublisher(deps.bus.publish));
  const pipeline = createDocumentPipeline({
    store: deps.eventStore,
    blobs,
    sql: deps.readModels,
    embedder,
    parseLimits: {
      timeoutMs: deps.config.PARSE_TIMEOUT_MS,
      memoryMb: deps.config.PARSE_MEMORY_MB,
      maxPages: deps.config.PARSE_MAX_PAGES,
      maxChars: deps.config.PARSE_MAX_CHARS,
      maxZipEntryBytes: deps.config.DOCX_MAX_ENTRY_BYTES,
    },
    logger: deps.logger.child({ component: 'document-pipeline' }),
    searchIndexReached: searchIndexReached(deps.runtime, deps.logger.child({ component: 'document-pipeline' })),
    // Small batches keep search quick behind HNSW inserts; vectors the search gives no weight are not indexed
    // (projectors.ts), so their batches may be as large as an event holds.
    maxEmbeddingBatch: usesDenseRanking(settings.weights) ? 8 : 64,
    // Workers sharing a Postgres claim each document (one connection, opened by the first claim); stop() closes it.
    ...(deps.config.DATABASE_URL && { claims: advisoryLockDocumentClaims(deps.config.DATABASE_URL) }),
  });
  features.services.push({ name: 'document pipeline', roles: ['worker'], start: pipeline.start, stop: pipeline.stop });
  features.services.push(...collection.services);
  return features;
}
