/**
 * Drives one document from wherever its stream says it is to indexed or failed: parse -> chunk -> embed (batches).
 * Every step is decided against the stream (documentDecider) at its exact revision with deterministic event ids, so
 * running this twice, concurrently, or again after a crash at any point appends nothing twice. Work for a revision
 * that was superseded meanwhile (reindex, delete) is dropped by the decider.
 */
import type { DocumentFailureCode } from '../../../contracts/document-failures.ts';
import { packVectors, type DocumentChunked, type PipelineStep } from '../../../contracts/documents.ts';
import type { EventMetadata, EventStore } from '../../../contracts/eventstore.ts';
import type { Position } from '../../../contracts/position.ts';
import { BlobNotFoundError, type BlobStore } from '../../blobstore/blobstore.ts';
import type { DocumentState } from '../../documents/state.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { isParseFailure, type ExtractedDocument, type MediaType } from '../parsing/index.ts';
import { chunkParts, embeddingBatchSize } from './chunk-parts.ts';
import { DocumentSession } from './document-session.ts';

export interface PipelineDeps {
  store: EventStore;
  blobs: BlobStore;
  /**
   * Parses and chunks the file in the sandbox (parsing/extractChunks with the configured limits and chunk options),
   * off this event loop. Throws ParseFailure, whose step says whether parsing or chunking failed.
   */
  extract: (bytes: Uint8Array, mediaType: MediaType) => Promise<ExtractedDocument>;
  embedder: Embedder;
  /** Most chunks per embedding call and ChunksEmbedded event (also bounded by event size). Default 8, for a search
   * index that puts the vectors in HNSW: each event is one transaction of HNSW inserts, which search waits behind
   * (~5 ms per 1536-d vector on PGlite), and 8 keep search at p50 ~40 ms while a manual is indexed, for ~8% less
   * throughput than 16. Where the vectors carry no weight and are not indexed, larger batches cost search nothing. */
  maxEmbeddingBatch?: number;
  /**
   * Resolves once the search index reflects every event up to `position`. Awaited before the last embedding batch,
   * whose append also records DocumentIndexed: "indexed" then means searchable (every chunk's text and all but that
   * last batch's vectors are in the index). Before the other batches it keeps the index at most two batches behind.
   */
  searchIndexReached?: (position: Position, signal?: AbortSignal) => Promise<void>;
}

/** Embedding batches the search index may lag behind the worker. */
const INDEX_LAG_BATCHES = 2;

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const fail = (session: DocumentSession, step: PipelineStep, code: DocumentFailureCode, reason: string) =>
  session.run({ type: 'FailDocument', data: { revision: session.state.revision, step, code, reason } });

/** Returns the state it left the document in; stops between steps once `signal` is aborted (a worker shutting down). */
export async function processDocument(
  deps: PipelineDeps,
  documentId: string,
  metadata: EventMetadata,
  signal?: AbortSignal,
): Promise<DocumentState> {
  const session = new DocumentSession(deps.store, documentId, metadata);
  await session.load();
  while (!signal?.aborted) {
    const { status, revision } = session.state;
    if (status === 'uploaded' || status === 'parsing') {
      const started = await session.run({ type: 'StartParsing', data: { revision } });
      if (started.status !== 'parsing' || started.revision !== revision) continue;
      await extract(deps, session, false);
    } else if (status === 'chunking') {
      await extract(deps, session, true);
    } else if (status === 'embedding') {
      await embed(deps, session, signal);
    } else {
      break;
    }
  }
  return session.state;
}

/** `parsedBefore`: DocumentParsed is already recorded (a worker died before chunking): parse again, chunk. */
async function extract(deps: PipelineDeps, session: DocumentSession, parsedBefore: boolean): Promise<void> {
  const state = session.state;
  const { revision } = state;
  let bytes: Uint8Array;
  try {
    bytes = await deps.blobs.get(state.sha256);
  } catch (error) {
    if (error instanceof BlobNotFoundError) {
      return void (await fail(session, 'store', 'FILE_MISSING', 'the uploaded file is missing from storage'));
    }
    throw error;
  }
  let extracted: ExtractedDocument;
  try {
    extracted = await deps.extract(bytes, state.mediaType as MediaType);
  } catch (error) {
    if (!isParseFailure(error)) return void (await fail(session, 'parse', 'UNREADABLE', `file could not be read: ${reasonOf(error)}`));
    return void (await fail(session, error.step, error.code, error.message));
  }
  if (!parsedBefore && !(await recordParsed(session, extracted))) return;
  const parts = await chunkParts(
    { documentId: state.documentId, knowledgeBaseId: state.knowledgeBaseId, documentName: state.name, revision },
    extracted.chunks,
  );
  await session.run({ type: 'RecordChunks', data: { revision, parts } });
}

/** Records DocumentParsed; false when the revision moved on meanwhile. */
async function recordParsed(session: DocumentSession, extracted: ExtractedDocument): Promise<boolean> {
  const { revision } = session.state;
  const { blockCount, pageCount, charCount } = extracted;
  const recorded = await session.run({ type: 'RecordParsed', data: { revision, blockCount, pageCount, charCount } });
  return recorded.status === 'chunking' && recorded.revision === revision;
}

async function embed(deps: PipelineDeps, session: DocumentSession, signal: AbortSignal | undefined): Promise<void> {
  const state = session.state;
  const { revision } = state;
  const chunks = session.events
    .filter((e): e is { type: 'DocumentChunked'; data: DocumentChunked['data'] } => e.type === 'DocumentChunked')
    .filter((e) => e.data.revision === revision)
    .flatMap((e) => e.data.chunks)
    .filter((chunk) => !state.embedded.has(chunk.chunkId));
  if (chunks.length === 0) {
    return void (await fail(session, 'index', 'NOT_INDEXED', 'every chunk is embedded but the document was not indexed'));
  }
  const { embedder } = deps;
  const size = embeddingBatchSize(embedder.dimensions, deps.maxEmbeddingBatch ?? 8);
  /** Where the log stood after each batch this drive recorded. */
  const recorded: Position[] = [];
  for (let start = 0; start < chunks.length && !signal?.aborted; start += size) {
    const batch = chunks.slice(start, start + size);
    const last = start + size >= chunks.length;
    // The last batch waits for all the rest (see searchIndexReached); the others keep the index at most
    // INDEX_LAG_BATCHES behind, so a large document never queues seconds of vector inserts in front of other
    // documents' changes (a delete waits for the index to show it).
    const awaited = last ? session.lastPosition : recorded.at(-INDEX_LAG_BATCHES);
    if (deps.searchIndexReached && awaited !== undefined) {
      await deps.searchIndexReached(awaited, signal);
      if (signal?.aborted) return;
    }
    let vectors: Float32Array[];
    try {
      vectors = await embedder.embed(batch.map((chunk) => chunk.text));
      if (vectors.length !== batch.length) throw new Error(`got ${vectors.length} vectors for ${batch.length} texts`);
    } catch (error) {
      return void (await fail(session, 'embed', 'EMBEDDING_FAILED', `the embedding model ${embedder.model} failed: ${reasonOf(error)}`));
    }
    const after = await session.run({
      type: 'RecordEmbeddings',
      data: {
        documentId: state.documentId,
        revision,
        model: embedder.model,
        dimensions: embedder.dimensions,
        chunkIds: batch.map((chunk) => chunk.chunkId),
        vectors: packVectors(vectors, embedder.dimensions),
      },
    });
    if (after.revision !== revision || after.status !== 'embedding') return;
    if (session.lastPosition !== undefined) recorded.push(session.lastPosition);
  }
}
