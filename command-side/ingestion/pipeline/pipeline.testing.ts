/**
 * A real pipeline for integration tests (test code only): an event store, a blob store in a temporary directory,
 * a knowledge base owned by `owner`, document commands and workers with the real parser, chunker and local embedder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DocumentActor } from '../../../contracts/document-commands.ts';
import { parseDocumentEvent } from '../../../contracts/documents.ts';
import type { EventStore, RecordedEvent } from '../../../contracts/eventstore.ts';
import { documentStream } from '../../../contracts/streams.ts';
import { openTestEventStore } from '../../../ops/testing/eventstores.ts';
import type { Sql } from '../../../contracts/sql.ts';
import type { BlobStore } from '../../blobstore/blobstore.ts';
import { createLocalBlobStore } from '../../blobstore/local-blobstore.ts';
import { createDocumentCommands } from '../../documents/document-commands.ts';
import { createKnowledgeBaseCommands } from '../../knowledge-base/knowledge-base-commands.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { createLocalEmbedder } from '../embedding/local-embedder.ts';
import { DEFAULT_PARSE_LIMITS } from '../parsing/index.ts';
import { createDocumentPipeline } from './create-pipeline.ts';
import type { DocumentClaims } from './document-claims.ts';
import type { PipelineDeps } from './process-document.ts';
import type { PipelineWorker, WorkerLogger } from './worker.ts';

export const TEST_DIMENSIONS = 256;
export const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
export const testParseLimits = () => ({ ...DEFAULT_PARSE_LIMITS });

export interface WorkerOptions {
  searchIndexReached?: PipelineDeps['searchIndexReached'];
  embedder?: Embedder;
  claims?: DocumentClaims;
  claimRetryMs?: number;
  /** Default: silent. */
  logger?: WorkerLogger;
}

export interface PipelineFixture {
  store: EventStore;
  sql: Sql;
  url: string | undefined;
  blobDir: string;
  blobs: BlobStore;
  knowledgeBaseId: string;
  owner: DocumentActor;
  upload(fileName: string, bytes: Uint8Array): Promise<string>;
  /** A new knowledge base owned by `ownerId` (to upload as other users than `owner`); its id. */
  addKnowledgeBase(ownerId: string, name?: string): Promise<string>;
  /** Uploads as `actor` (the owner of `knowledgeBaseId`); the document's id. */
  uploadAs(actor: DocumentActor, knowledgeBaseId: string, fileName: string, bytes: Uint8Array): Promise<string>;
  /** A worker on the fixture's store; by default with the local embedder and in-process claims. */
  worker(options?: WorkerOptions): PipelineWorker;
  events(documentId: string): Promise<RecordedEvent[]>;
  /** Waits until the document's last event is DocumentIndexed or DocumentFailed. */
  settled(documentId: string, timeoutMs?: number): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

export async function openPipelineFixture(kind: 'pglite' | 'postgres'): Promise<PipelineFixture> {
  const db = await openTestEventStore(kind);
  const blobDir = await mkdtemp(path.join(tmpdir(), 'pipeline-blobs-'));
  const blobs = createLocalBlobStore(blobDir);
  const owner: DocumentActor = { id: 'owner-1', role: 'member' };
  const knowledgeBases = createKnowledgeBaseCommands({ store: db.store, now: () => new Date(), newId: () => crypto.randomUUID() });
  const addKnowledgeBase = async (ownerId: string, name = 'Manuals') =>
    (await knowledgeBases.create(ownerId, { name, description: null }, {})).knowledgeBase.id;
  const knowledgeBaseId = await addKnowledgeBase(owner.id);
  const commands = createDocumentCommands({ store: db.store, blobs, maxUploadBytes: 50 * 1024 * 1024, embedder: createLocalEmbedder({ dimensions: TEST_DIMENSIONS }) });
  const workers: PipelineWorker[] = [];
  const events = (documentId: string) => db.store.readStream(documentStream(documentId));
  const uploadAs = async (actor: DocumentActor, knowledgeBaseId: string, fileName: string, bytes: Uint8Array) => {
    const result = await commands.upload({
      knowledgeBaseId,
      fileName,
      content: (async function* () {
        yield bytes;
      })(),
      replace: false,
      actor,
      metadata: {},
    });
    return result.documentId;
  };
  return {
    store: db.store,
    sql: db.sql,
    url: db.url,
    blobDir,
    blobs,
    knowledgeBaseId,
    owner,
    async upload(fileName, bytes) {
      return uploadAs(owner, knowledgeBaseId, fileName, bytes);
    },
    addKnowledgeBase,
    uploadAs,
    worker(options = {}) {
      const worker = createDocumentPipeline({
        ...options,
        store: db.store,
        blobs,
        sql: db.sql,
        embedder: options.embedder ?? createLocalEmbedder({ dimensions: TEST_DIMENSIONS }),
        parseLimits: testParseLimits(),
        logger: options.logger ?? silentLogger,
      });
      workers.push(worker);
      return worker;
    },
    events,
    async settled(documentId, timeoutMs = 150_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const recorded = await events(documentId);
        const last = recorded.at(-1)?.type;
        if (last === 'DocumentIndexed' || last === 'DocumentFailed') return recorded;
        if (Date.now() > deadline) throw new Error(`document ${documentId} still at ${last}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      for (const worker of workers) await worker.stop();
      await db.close();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}

export const asDocumentEvents = (recorded: readonly RecordedEvent[]) => recorded.map(parseDocumentEvent);

/** Every event id once, every chunk embedded once, every step once per revision. */
export function expectNoDuplicates(recorded: readonly RecordedEvent[]): { chunkIds: string[]; embedded: string[] } {
  const events = asDocumentEvents(recorded);
  const steps = events.filter((e) => e.type === 'DocumentParsed' || e.type === 'DocumentIndexed').map((e) => `${e.type}/${e.data.revision}`);
  const parts = events.flatMap((e) => (e.type === 'DocumentChunked' ? [`${e.data.revision}/${e.data.part}`] : []));
  const chunkIds = events.flatMap((e) => (e.type === 'DocumentChunked' ? e.data.chunks.map((c) => c.chunkId) : []));
  const embedded = events.flatMap((e) => (e.type === 'ChunksEmbedded' ? e.data.chunkIds : []));
  for (const list of [recorded.map((e) => e.id), steps, parts, chunkIds, embedded]) {
    if (new Set(list).size !== list.length) throw new Error(`duplicates in ${JSON.stringify(list.slice(0, 5))}…`);
  }
  return { chunkIds, embedded };
}
