/**
 * Synthetic document events, shaped exactly as the pipeline records them (contracts/documents.ts), for the chunks
 * projection's tests and the retrieval bench: they exercise the projector without the upload path.
 */
import { chunkIdOf, packVectors, type DocumentEvent } from '../../contracts/documents.ts';
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import type { Sql, SqlExecutor } from '../../contracts/sql.ts';
import { documentStream } from '../../contracts/streams.ts';
import { formatPosition } from '../../contracts/position.ts';
import { prepareProjection } from '../runtime/checkpoints.ts';
import type { Projector } from '../runtime/projector.ts';
import { analyze } from './text-analysis.ts';

export interface SyntheticDocument {
  documentId: string;
  knowledgeBaseId: string;
  name: string;
  revision?: number;
  texts: readonly string[];
  /** Heading path of each text (none when omitted). */
  headingPaths?: readonly (readonly string[])[];
}

export interface VectorSource {
  model: string;
  dimensions: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

const CHUNKS_PER_PART = 40;
const VECTORS_PER_EVENT = 16;

/** DocumentUploaded, DocumentChunked parts and (with an embedder) ChunksEmbedded batches of one document. */
export async function documentLifecycle(doc: SyntheticDocument, embedder?: VectorSource): Promise<DocumentEvent[]> {
  const revision = doc.revision ?? 1;
  const { documentId, knowledgeBaseId } = doc;
  const chunks = doc.texts.map((text, index) => ({
    chunkId: chunkIdOf(documentId, revision, index),
    index,
    text,
    headingPath: [...(doc.headingPaths?.[index] ?? [])],
    tokenCount: Math.ceil(text.length / 4),
  }));
  const events: DocumentEvent[] = [];
  if (revision === 1) {
    events.push({
      type: 'DocumentUploaded',
      data: {
        documentId,
        knowledgeBaseId,
        revision,
        name: doc.name,
        mediaType: 'text/plain',
        sizeBytes: doc.texts.join('\n').length,
        sha256: '0'.repeat(64),
        uploadedBy: 'user-1',
      },
    });
  }
  const parts = Math.max(1, Math.ceil(chunks.length / CHUNKS_PER_PART));
  for (let part = 0; part < parts; part++) {
    events.push({
      type: 'DocumentChunked',
      data: {
        documentId,
        knowledgeBaseId,
        documentName: doc.name,
        revision,
        part: part + 1,
        parts,
        totalChunks: chunks.length,
        chunks: chunks.slice(part * CHUNKS_PER_PART, (part + 1) * CHUNKS_PER_PART),
      },
    });
  }
  if (embedder) {
    for (let start = 0; start < chunks.length; start += VECTORS_PER_EVENT) {
      const batch = chunks.slice(start, start + VECTORS_PER_EVENT);
      const vectors = await embedder.embed(batch.map((chunk) => chunk.text));
      events.push({
        type: 'ChunksEmbedded',
        data: {
          documentId,
          revision,
          model: embedder.model,
          dimensions: embedder.dimensions,
          chunkIds: batch.map((chunk) => chunk.chunkId),
          vectors: packVectors(vectors, embedder.dimensions),
        },
      });
    }
  }
  return events;
}

let nextPosition = 1;

/** Records events as the store would (ids, stream revisions and positions are made up but well-formed). */
export function asRecorded(events: readonly DocumentEvent[]): RecordedEvent[] {
  const revisions = new Map<string, number>();
  return events.map((event) => {
    const streamId = documentStream(event.data.documentId);
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    const position = nextPosition++;
    return {
      id: `00000000-0000-4000-8000-${position.toString(16).padStart(12, '0')}`,
      type: event.type,
      data: event.data,
      metadata: {},
      streamId,
      revision,
      position: formatPosition(position, 0),
      createdAt: new Date(0).toISOString(),
    };
  });
}

/** Migrates (first time) and projects the events, a transaction per batch, as the runtime would. */
export async function projectDirectly(
  sql: Sql,
  projector: Projector,
  events: readonly RecordedEvent[],
  batchSize = 100,
): Promise<void> {
  await sql.transaction((tx: SqlExecutor) => prepareProjection(tx, projector));
  for (let start = 0; start < events.length; start += batchSize) {
    const batch = events.slice(start, start + batchSize);
    await sql.transaction((tx) => projector.handle(batch, tx, { projector: projector.name, rebuilding: false }));
  }
}

/** A tiny deterministic vector source for tests (hashed BM25 terms): not the product's local embedder. */
export function termHashVectors(dimensions: number): VectorSource {
  const embedOne = (text: string) => {
    const vector = new Float32Array(dimensions);
    for (const term of analyze(text)) {
      let h = 7;
      for (let i = 0; i < term.length; i++) h = (Math.imul(h, 31) + term.charCodeAt(i)) >>> 0;
      vector[h % dimensions]! += 1;
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((value) => value / norm);
  };
  return { model: `test-term-hash-${dimensions}`, dimensions, embed: async (texts) => texts.map(embedOne) };
}
