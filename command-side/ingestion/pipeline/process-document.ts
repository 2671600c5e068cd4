/**
 * Drives one document from wherever its stream says it is to indexed or failed: parse -> chunk -> embed (batches).
 * Every step is decided against the stream (documentDecider) at its exact revision with deterministic event ids, so
 * running this twice, concurrently, or again after a crash at any point appends nothing twice. Work for a revision
 * that was superseded meanwhile (reindex, delete) is dropped by the decider.
 */
import { packVectors, type DocumentChunked, type DocumentEvent, type PipelineStep } from '../../../contracts/documents.ts';
import type { EventMetadata, EventStore } from '../../../contracts/eventstore.ts';
import { documentStream } from '../../../contracts/streams.ts';
import { BlobNotFoundError, type BlobStore } from '../../blobstore/blobstore.ts';
import { foldEvents, handleCommand } from '../../decider.ts';
import type { DocumentCommand } from '../../documents/commands.ts';
import { documentDecider } from '../../documents/decider.ts';
import { documentEventId } from '../../documents/ids.ts';
import type { DocumentState } from '../../documents/state.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { isParseFailure, type MediaType, type ParsedDocument } from '../parsing/index.ts';
import { chunkParts, embeddingBatchSize, type ChunkDraft } from './chunk-parts.ts';

export interface PipelineDeps {
  store: EventStore;
  blobs: BlobStore;
  /** The sandboxed parser (parsing/parseDocument with the configured limits). Throws ParseFailure. */
  parse: (bytes: Uint8Array, mediaType: MediaType) => Promise<ParsedDocument>;
  chunk: (parsed: ParsedDocument) => ChunkDraft[];
  embedder: Embedder;
  /** Most chunks per embedding call and ChunksEmbedded event (also bounded by event size). Default 64. */
  maxEmbeddingBatch?: number;
}

async function load(store: EventStore, documentId: string) {
  const recorded = await store.readStream(documentStream(documentId));
  const events = recorded.map((e) => ({ type: e.type, data: e.data }) as DocumentEvent);
  return { events, state: foldEvents(documentDecider, events) };
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Returns the state it left the document in; stops between steps once `signal` is aborted (a worker shutting down). */
export async function processDocument(
  deps: PipelineDeps,
  documentId: string,
  metadata: EventMetadata,
  signal?: AbortSignal,
): Promise<DocumentState> {
  const run = (command: DocumentCommand) =>
    handleCommand(deps.store, documentStream(documentId), documentDecider, command, { metadata, eventId: documentEventId });

  for (;;) {
    const { events, state } = await load(deps.store, documentId);
    if (signal?.aborted) return state;
    const { revision } = state;
    const fail = (step: PipelineStep, reason: string) =>
      run({ type: 'FailDocument', data: { revision, step, reason } });

    if (state.status === 'uploaded' || state.status === 'parsing') {
      const started = await run({ type: 'StartParsing', data: { revision } });
      if (started.state.status !== 'parsing' || started.state.revision !== revision) continue;
    }
    if (state.status === 'uploaded' || state.status === 'parsing' || state.status === 'chunking') {
      await parseAndChunk(deps, state, run, fail);
      continue;
    }
    if (state.status === 'embedding') {
      await embed(deps, state, events, run, fail, signal);
      continue;
    }
    return state;
  }
}

type Run = (command: DocumentCommand) => ReturnType<typeof handleCommand<DocumentCommand, DocumentEvent, DocumentState>>;
type Fail = (step: PipelineStep, reason: string) => ReturnType<Run>;

async function parseAndChunk(deps: PipelineDeps, state: DocumentState, run: Run, fail: Fail): Promise<void> {
  const { revision } = state;
  let bytes: Uint8Array;
  try {
    bytes = await deps.blobs.get(state.sha256);
  } catch (error) {
    if (error instanceof BlobNotFoundError) return void (await fail('store', 'the uploaded file is missing from storage'));
    throw error;
  }
  let parsed: ParsedDocument;
  try {
    parsed = await deps.parse(bytes, state.mediaType as MediaType);
  } catch (error) {
    return void (await fail('parse', isParseFailure(error) ? error.message : `file could not be read: ${reasonOf(error)}`));
  }
  if (state.status !== 'chunking') {
    const recorded = await run({
      type: 'RecordParsed',
      data: { revision, blockCount: parsed.blocks.length, pageCount: parsed.pageCount ?? 0, charCount: parsed.charCount },
    });
    if (recorded.state.status !== 'chunking' || recorded.state.revision !== revision) return;
  }
  let drafts: ChunkDraft[];
  try {
    drafts = deps.chunk(parsed);
  } catch (error) {
    return void (await fail('chunk', `the text could not be split into chunks: ${reasonOf(error)}`));
  }
  const parts = chunkParts(
    { documentId: state.documentId, knowledgeBaseId: state.knowledgeBaseId, documentName: state.name, revision },
    drafts,
  );
  await run({ type: 'RecordChunks', data: { revision, parts } });
}

async function embed(
  deps: PipelineDeps,
  state: DocumentState,
  events: DocumentEvent[],
  run: Run,
  fail: Fail,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { revision } = state;
  const chunks = events
    .filter((e): e is { type: 'DocumentChunked'; data: DocumentChunked['data'] } => e.type === 'DocumentChunked')
    .filter((e) => e.data.revision === revision)
    .flatMap((e) => e.data.chunks)
    .filter((chunk) => !state.embedded.has(chunk.chunkId));
  const { embedder } = deps;
  if (chunks.length === 0) return void (await fail('index', 'every chunk is embedded but the document was not indexed'));
  const size = embeddingBatchSize(embedder.dimensions, deps.maxEmbeddingBatch ?? 64);
  for (let start = 0; start < chunks.length && !signal?.aborted; start += size) {
    const batch = chunks.slice(start, start + size);
    let vectors: Float32Array[];
    try {
      vectors = await embedder.embed(batch.map((chunk) => chunk.text));
      if (vectors.length !== batch.length) throw new Error(`got ${vectors.length} vectors for ${batch.length} texts`);
    } catch (error) {
      return void (await fail('embed', `the embedding model ${embedder.model} failed: ${reasonOf(error)}`));
    }
    const result = await run({
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
    if (result.state.revision !== revision || result.state.status !== 'embedding') return;
  }
}
