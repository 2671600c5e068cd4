/**
 * Documents and their ingestion: the upload route, delete and reindex, chunk curation, the pipeline worker and the blob collector
 * (ROLE=worker), the documents read model and the documentStatus feed. Embeds with the search slice's embedder when
 * the search ranks by vectors, and records chunks without vectors when it does not.
 */
import { createDocumentCommands } from '../../../command-side/documents/document-commands.ts';
import { shreddingDeletedText } from '../../../command-side/documents/shred-deleted-text.ts';
import type { ParseLimits } from '../../../command-side/ingestion/parsing/index.ts';
import { advisoryLockDocumentClaims } from '../../../command-side/ingestion/pipeline/advisory-lock-claims.ts';
import { noVectors } from '../../../command-side/ingestion/embedding/no-vectors.ts';
import { createDocumentPipeline } from '../../../command-side/ingestion/pipeline/create-pipeline.ts';
import { chunkCurationSchema } from '../../../contracts/graphql/chunk-curation.ts';
import { documentsSchema } from '../../../contracts/graphql/documents.ts';
import type { Position } from '../../../contracts/position.ts';
import { documentsProjector } from '../../../projections/documents/documents-projector.ts';
import { documentStatusPublisher } from '../../../projections/documents/status-feed.ts';
import { createChunkCurationResolvers } from '../../../query-side/resolvers/chunk-curation.ts';
import { createDocumentResolvers } from '../../../query-side/resolvers/documents.ts';
import { usesDenseRanking } from '../../../query-side/search/search-options.ts';
import { createUploadQuota } from '../../../query-side/upload/upload-quota.ts';
import { documentUploadPlugin } from '../../../query-side/upload/upload-route.ts';
import type { Config } from '../../config/config.ts';
import { blobCollection } from '../blob-collection.ts';
import { openBlobStore } from '../open-blob-store.ts';
import { searchIndexReached } from '../search-index-reached.ts';
import { quotasOf } from '../settings.ts';
import type { Slice } from '../slice.ts';
import { searchSlice } from './search.ts';

const parseLimitsOf = (config: Config): ParseLimits => ({
  timeoutMs: config.PARSE_TIMEOUT_MS,
  memoryMb: config.PARSE_MEMORY_MB,
  maxPages: config.PARSE_MAX_PAGES,
  maxChars: config.PARSE_MAX_CHARS,
  maxZipEntryBytes: config.DOCX_MAX_ENTRY_BYTES,
});

export const documentsSlice: Slice = {
  name: 'documents',
  schema: documentsSchema + chunkCurationSchema,
  projectors: () => [documentsProjector],
  create(deps) {
    const { embedder, settings } = deps.use(searchSlice);
    const dense = usesDenseRanking(settings.weights);
    const { blobs, services: blobStoreServices } = openBlobStore(deps.config);
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
    // Vectors the search gives no weight are not computed at all (noVectors): chunks are indexed for BM25 alone.
    const documentEmbedder = dense ? embedder : noVectors;
    const commands = shreddingDeletedText(
      createDocumentCommands({ store: deps.eventStore, blobs, maxUploadBytes, lockBlob: collection.lockBlob, embedder: documentEmbedder }),
      { store: deps.eventStore, keys: deps.personalDataKeys },
    );
    // An upload waits only for the read models that show it, not for chunks still being indexed for other documents.
    const uploadVisible = (position: Position) =>
      deps.runtime.waitForPosition(position, {
        projectors: ['documents', 'knowledge-bases'],
        timeoutMs: deps.config.READ_YOUR_WRITES_TIMEOUT_MS,
      });
    const quota = createUploadQuota({ readModels: deps.readModels, quotas: quotasOf(deps.config) });
    const pipeline = createDocumentPipeline({
      store: deps.eventStore,
      blobs,
      sql: deps.readModels,
      embedder: documentEmbedder,
      parseLimits: parseLimitsOf(deps.config),
      logger: deps.logger.child({ component: 'document-pipeline' }),
      searchIndexReached: searchIndexReached(deps.runtime, deps.logger.child({ component: 'document-pipeline' })),
      // Small batches keep search quick behind HNSW inserts; without vectors a batch is a list of chunk ids, and
      // may be as large as an event holds.
      maxEmbeddingBatch: dense ? 8 : 1024,
      // Workers sharing a Postgres claim each document (one connection, opened by the first claim); stop() closes it.
      ...(deps.config.DATABASE_URL && { claims: advisoryLockDocumentClaims(deps.config.DATABASE_URL) }),
    });
    return {
      resolvers: [
        createDocumentResolvers({ commands, readModels: deps.readModels }),
        createChunkCurationResolvers({ commands, readModels: deps.readModels, searchIndex: deps.searchIndex }),
      ],
      plugins: [documentUploadPlugin({ commands, maxUploadBytes, waitForPosition: uploadVisible, quota })],
      feeds: [documentStatusPublisher(deps.bus.publish)],
      services: [
        // First: a bucket that cannot be read stops the start before the worker takes documents.
        ...blobStoreServices,
        { name: 'document pipeline', roles: ['worker'], start: pipeline.start, stop: pipeline.stop },
        ...collection.services,
      ],
    };
  },
};
