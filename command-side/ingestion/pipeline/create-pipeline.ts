/** The pipeline worker with the real parts: sandboxed parser, structure-aware chunker, the configured embedder. */
import type { EventStore } from '../../../contracts/eventstore.ts';
import type { Sql } from '../../../contracts/sql.ts';
import type { BlobStore } from '../../blobstore/blobstore.ts';
import { DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from '../chunking/index.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { extractChunks, warmParseSandbox, type ParseLimits } from '../parsing/index.ts';
import { sqlWorkerCheckpoints } from './checkpoint.ts';
import { inProcessDocumentClaims, type DocumentClaims } from './document-claims.ts';
import type { PipelineDeps } from './process-document.ts';
import { createPipelineWorker, type PipelineWorker, type WorkerLogger } from './worker.ts';

export interface DocumentPipelineOptions {
  store: EventStore;
  blobs: BlobStore;
  /** Holds the worker's checkpoint (the read-model database will do). */
  sql: Sql;
  embedder: Embedder;
  parseLimits: ParseLimits;
  chunkOptions?: ChunkOptions;
  logger: WorkerLogger;
  concurrency?: number;
  name?: string;
  searchIndexReached?: PipelineDeps['searchIndexReached'];
  /** Chunks per embedding batch and ChunksEmbedded event; see PipelineDeps. */
  maxEmbeddingBatch?: number;
  /**
   * Per-document claims, so that workers sharing a database do not process the same document twice
   * (advisoryLockDocumentClaims with Postgres). Default: in-process. The pipeline owns them: stop() closes them
   * (they open again on the next claim).
   */
  claims?: DocumentClaims;
  /** How often a document another worker holds is tried again. Default 1000. */
  claimRetryMs?: number;
}

export function createDocumentPipeline(options: DocumentPipelineOptions): PipelineWorker {
  const chunkOptions = options.chunkOptions ?? DEFAULT_CHUNK_OPTIONS;
  const claims = options.claims ?? inProcessDocumentClaims();
  const worker = createPipelineWorker({
    store: options.store,
    blobs: options.blobs,
    embedder: options.embedder,
    extract: (bytes, mediaType) => extractChunks(bytes, { mediaType, limits: options.parseLimits, chunkOptions }),
    checkpoints: sqlWorkerCheckpoints(options.sql),
    logger: options.logger,
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    ...(options.name !== undefined && { name: options.name }),
    ...(options.searchIndexReached && { searchIndexReached: options.searchIndexReached }),
    ...(options.maxEmbeddingBatch !== undefined && { maxEmbeddingBatch: options.maxEmbeddingBatch }),
    claims,
    ...(options.claimRetryMs !== undefined && { claimRetryMs: options.claimRetryMs }),
  });
  return {
    ...worker,
    async start() {
      await worker.start();
      // The first upload should find the sandbox ready rather than build it on the API's event loop.
      warmParseSandbox().catch((error: unknown) =>
        options.logger.warn({ err: error }, 'warming the parse sandbox failed; the first document will start it'),
      );
    },
    async stop() {
      try {
        await worker.stop();
      } finally {
        await claims.close();
      }
    },
  };
}
