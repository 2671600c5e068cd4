/** The pipeline worker with the real parts: sandboxed parser, structure-aware chunker, the configured embedder. */
import type { EventStore } from '../../../contracts/eventstore.ts';
import type { SqlExecutor } from '../../../ops/sql/types.ts';
import type { BlobStore } from '../../blobstore/blobstore.ts';
import { chunkDocument, DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from '../chunking/index.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { parseDocument, type ParseLimits } from '../parsing/index.ts';
import { sqlWorkerCheckpoints } from './checkpoint.ts';
import type { PipelineDeps } from './process-document.ts';
import { createPipelineWorker, type PipelineWorker, type WorkerLogger } from './worker.ts';

export interface DocumentPipelineOptions {
  store: EventStore;
  blobs: BlobStore;
  /** Holds the worker's checkpoint (the read-model database will do). */
  sql: SqlExecutor;
  embedder: Embedder;
  parseLimits: ParseLimits;
  chunkOptions?: ChunkOptions;
  logger: WorkerLogger;
  concurrency?: number;
  name?: string;
  searchIndexReached?: PipelineDeps['searchIndexReached'];
}

export function createDocumentPipeline(options: DocumentPipelineOptions): PipelineWorker {
  const chunkOptions = options.chunkOptions ?? DEFAULT_CHUNK_OPTIONS;
  return createPipelineWorker({
    store: options.store,
    blobs: options.blobs,
    embedder: options.embedder,
    parse: (bytes, mediaType) => parseDocument(bytes, { mediaType, limits: options.parseLimits }),
    chunk: (parsed) => chunkDocument(parsed, chunkOptions),
    checkpoints: sqlWorkerCheckpoints(options.sql),
    logger: options.logger,
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    ...(options.name !== undefined && { name: options.name }),
    ...(options.searchIndexReached && { searchIndexReached: options.searchIndexReached }),
  });
}
