/**
 * Document events, all on stream `document-{id}` (streams.ts documentStream). Owner: INGEST-C (pipeline).
 *
 * Lifecycle of one document (`revision` = processing attempt, 1 on upload, +1 on every reindex/replace):
 *   DocumentUploaded(r1) -> DocumentParsingStarted(r1) -> DocumentParsed(r1) -> DocumentChunked(r1, part 1..n)
 *     -> ChunksEmbedded(r1)* -> DocumentIndexed(r1)        | DocumentFailed(r1) at any step
 *   DocumentReindexRequested(r2) -> DocumentParsingStarted(r2) -> ...
 *   DocumentDeleted        (terminal; a later upload of the same bytes starts again with DocumentUploaded, r+1)
 *
 * A document's id is derived from (knowledgeBaseId, sha256): the same bytes in one knowledge base are one document.
 *
 * Rules consumers (INGEST-B chunks projection, IDENTITY knowledge-base counts, documents projection) can rely on:
 * - Every event carries `documentId` and `revision`. Chunk-bearing events of an older revision never follow a
 *   DocumentReindexRequested/DocumentUploaded of a newer one in the stream (appends use exact expected revisions),
 *   but a projector should still ignore chunk events whose revision is below the newest revision it has seen.
 * - On DocumentReindexRequested(r) or DocumentUploaded(r): drop every chunk of this document with revision < r
 *   (they are stale). On DocumentDeleted: drop every chunk of the document at once (search must not return them).
 * - DocumentChunked carries everything the chunks read model needs (knowledgeBaseId, documentName, texts);
 *   a document's chunks are split over `parts` events (part 1..parts), each under MAX_CHUNK_EVENT_BYTES.
 * - ChunksEmbedded carries vectors for a batch of chunkIds (all of the same revision), packed with packVectors;
 *   decode with unpackVectors. The same chunk is embedded at most once per revision.
 * - DocumentUploaded and DocumentDeleted carry knowledgeBaseId; a document counts in its knowledge base between its
 *   DocumentUploaded and its DocumentDeleted (reindex/replace append no DocumentUploaded).
 */
import { z } from 'zod';
import { DOCUMENT_FAILURE_CODES } from './document-failures.ts';
import { eventParser } from './event-parser.ts';

export const DOCUMENT_STATUSES = ['uploaded', 'parsing', 'chunking', 'embedding', 'indexed', 'failed', 'deleted'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const PIPELINE_STEPS = ['store', 'parse', 'chunk', 'embed', 'index'] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/** Upper bound of one DocumentChunked / ChunksEmbedded event's data (JSON), well below the store's MAX_EVENT_BYTES. */
export const MAX_CHUNK_EVENT_BYTES = 256 * 1024;

/** Chunk ids are deterministic, so a resumed pipeline produces the same ids: `{documentId}:{revision}:{index}`. */
export const chunkIdOf = (documentId: string, revision: number, index: number): string =>
  `${documentId}:${revision}:${index}`;

/** The revision a chunk id of this document names, or undefined when it is not one of chunkIdOf's. */
export function revisionOfChunk(chunkId: string, documentId: string): number | undefined {
  const match = chunkId.startsWith(`${documentId}:`) ? /^(\d+):\d+$/.exec(chunkId.slice(documentId.length + 1)) : null;
  return match ? Number(match[1]) : undefined;
}

/** The document, revision and index a chunk id (chunkIdOf's form) names, or undefined when it is not one. */
export function parseChunkId(chunkId: string): { documentId: string; revision: number; index: number } | undefined {
  const match = chunkId.length <= 300 ? /^(.+):([1-9]\d*):(0|[1-9]\d*)$/.exec(chunkId) : null;
  if (!match) return undefined;
  const revision = Number(match[2]);
  const index = Number(match[3]);
  return Number.isSafeInteger(revision) && Number.isSafeInteger(index) ? { documentId: match[1]!, revision, index } : undefined;
}

const id = z.string().min(1);
const revision = z.number().int().positive();
const count = z.number().int().nonnegative();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 as 64 lowercase hex digits');

export const documentUploadedSchema = z.object({
  documentId: id,
  knowledgeBaseId: id,
  revision,
  name: z.string().min(1),
  mediaType: z.string().min(1),
  sizeBytes: count,
  sha256,
  uploadedBy: id,
});

/** The worker took the document up (status 'parsing'); repeated when a worker died while parsing. */
export const documentParsingStartedSchema = z.object({
  documentId: id,
  revision,
  /** 1 for the first try of this revision; the worker gives up after a few (a file that kills workers). */
  attempt: z.number().int().positive(),
});

export const documentParsedSchema = z.object({
  documentId: id,
  revision,
  blockCount: count,
  /** 0 when the format has no pages (text, markdown, HTML, DOCX). */
  pageCount: count,
  charCount: count,
});

export const chunkSchema = z.object({
  chunkId: id,
  /** 0-based position in the document (over all parts). */
  index: count,
  text: z.string(),
  /** Headings above the chunk, outermost first; [] when none. */
  headingPath: z.array(z.string()),
  tokenCount: count,
  /** 1-based page where the chunk starts, when the format has pages. */
  page: z.number().int().positive().optional(),
});

export const documentChunkedSchema = z.object({
  documentId: id,
  knowledgeBaseId: id,
  documentName: z.string().min(1),
  revision,
  /** 1-based; the chunks of a revision are complete once parts 1..parts are all in the stream. */
  part: z.number().int().positive(),
  parts: z.number().int().positive(),
  /** Chunks of the whole revision (all parts). */
  totalChunks: count,
  chunks: z.array(chunkSchema),
});

export const chunksEmbeddedSchema = z.object({
  documentId: id,
  revision,
  model: z.string().min(1),
  /** 0 (model "none"): recorded without vectors, because the search gives them no weight. */
  dimensions: z.number().int().nonnegative(),
  chunkIds: z.array(id).min(1),
  /** base64 of chunkIds.length * dimensions Float32 little-endian values, in chunkIds order (packVectors). */
  vectors: z.string(),
});

export const documentIndexedSchema = z.object({
  documentId: id,
  revision,
  chunkCount: count,
  model: z.string().min(1),
  dimensions: z.number().int().nonnegative(),
});

/** Schema version 2: `code` was added (document-failures.ts upcasts version-1 events, which have only the reason). */
export const documentFailedSchema = z.object({
  documentId: id,
  revision,
  step: z.enum(PIPELINE_STEPS),
  /** For a program: what went wrong, e.g. SCANNED_PDF. */
  code: z.enum(DOCUMENT_FAILURE_CODES),
  /** For a person: "PDF is encrypted", "no text layer: scanned PDF", "file is corrupt", ... */
  reason: z.string().min(1),
});

export const documentReindexRequestedSchema = z.object({
  documentId: id,
  /** The new revision (previous + 1). */
  revision,
  requestedBy: id,
  /** 'replace': the same bytes were uploaded again with ?replace=true (name may change). */
  cause: z.enum(['reindex', 'replace']),
  name: z.string().min(1).optional(),
});

export const documentDeletedSchema = z.object({
  documentId: id,
  knowledgeBaseId: id,
  revision,
  deletedBy: id,
});

/** Longest text a person may give one chunk (characters): a chunk is a passage, not a document. */
export const MAX_EDITED_CHUNK_CHARS = 8000;

/**
 * Curation (by the knowledge base's owner, on the current revision of an indexed document): a chunk's text replaced,
 * with its new vector from the embedder that indexed the revision (packVectors; dimensions 0: none). A reindex starts
 * again from the file: curation belongs to one revision.
 */
export const chunkEditedSchema = z.object({
  documentId: id,
  revision,
  chunkId: id,
  text: z.string().min(1).max(MAX_EDITED_CHUNK_CHARS),
  tokenCount: count,
  model: z.string().min(1),
  dimensions: z.number().int().nonnegative(),
  vector: z.string(),
  editedBy: id,
  editedAt: z.string().datetime(),
});

/** A chunk taken out of search (and so out of answers), or put back; its text is kept. */
export const chunkToggledSchema = z.object({ documentId: id, revision, chunkId: id, by: id, at: z.string().datetime() });

export const documentEventSchemas = {
  DocumentUploaded: documentUploadedSchema,
  DocumentParsingStarted: documentParsingStartedSchema,
  DocumentParsed: documentParsedSchema,
  DocumentChunked: documentChunkedSchema,
  ChunksEmbedded: chunksEmbeddedSchema,
  DocumentIndexed: documentIndexedSchema,
  DocumentFailed: documentFailedSchema,
  DocumentReindexRequested: documentReindexRequestedSchema,
  DocumentDeleted: documentDeletedSchema,
  ChunkEdited: chunkEditedSchema,
  ChunkDisabled: chunkToggledSchema,
  ChunkEnabled: chunkToggledSchema,
} as const;

export type DocumentEventType = keyof typeof documentEventSchemas;
export const DOCUMENT_EVENT_TYPES = Object.keys(documentEventSchemas) as DocumentEventType[];

export type DocumentUploaded = { type: 'DocumentUploaded'; data: z.infer<typeof documentUploadedSchema> };
export type DocumentParsingStarted = {
  type: 'DocumentParsingStarted';
  data: z.infer<typeof documentParsingStartedSchema>;
};
export type DocumentParsed = { type: 'DocumentParsed'; data: z.infer<typeof documentParsedSchema> };
export type DocumentChunked = { type: 'DocumentChunked'; data: z.infer<typeof documentChunkedSchema> };
export type ChunksEmbedded = { type: 'ChunksEmbedded'; data: z.infer<typeof chunksEmbeddedSchema> };
export type DocumentIndexed = { type: 'DocumentIndexed'; data: z.infer<typeof documentIndexedSchema> };
export type DocumentFailed = { type: 'DocumentFailed'; data: z.infer<typeof documentFailedSchema> };
export type DocumentReindexRequested = {
  type: 'DocumentReindexRequested';
  data: z.infer<typeof documentReindexRequestedSchema>;
};
export type DocumentDeleted = { type: 'DocumentDeleted'; data: z.infer<typeof documentDeletedSchema> };
export type ChunkEdited = { type: 'ChunkEdited'; data: z.infer<typeof chunkEditedSchema> };
export type ChunkDisabled = { type: 'ChunkDisabled'; data: z.infer<typeof chunkToggledSchema> };
export type ChunkEnabled = { type: 'ChunkEnabled'; data: z.infer<typeof chunkToggledSchema> };
export type Chunk = z.infer<typeof chunkSchema>;

export type DocumentEvent =
  | DocumentUploaded
  | DocumentParsingStarted
  | DocumentParsed
  | DocumentChunked
  | ChunksEmbedded
  | DocumentIndexed
  | DocumentFailed
  | DocumentReindexRequested
  | DocumentDeleted
  | ChunkEdited
  | ChunkDisabled
  | ChunkEnabled;

/** The curation events: what a person does to single chunks of an indexed revision. */
export const CHUNK_CURATION_EVENT_TYPES = ['ChunkEdited', 'ChunkDisabled', 'ChunkEnabled'] as const satisfies readonly DocumentEventType[];

export const parseDocumentEvent = eventParser(documentEventSchemas);
/** The first event of every document stream. */
export const parseDocumentUploaded = eventParser({ DocumentUploaded: documentUploadedSchema });

const BASE64 = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const BASE64_VALUE = new Int16Array(256).fill(-1);
BASE64.forEach((code, i) => (BASE64_VALUE[code] = i));
const PAD = 61; // '='

/** Standard base64 with padding, on byte arrays: Node's btoa/atob crawl on strings of a few hundred KB. */
function toBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = BASE64[n >> 18]!;
    out[o++] = BASE64[(n >> 12) & 63]!;
    out[o++] = BASE64[(n >> 6) & 63]!;
    out[o++] = BASE64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = BASE64[n >> 18]!;
    out[o++] = BASE64[(n >> 12) & 63]!;
    out[o++] = rest === 2 ? BASE64[(n >> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  return new TextDecoder().decode(out);
}

function fromBase64(text: string): Uint8Array {
  const chars = new TextEncoder().encode(text);
  let length = chars.length;
  while (length > 0 && chars[length - 1] === PAD) length--;
  if (length % 4 === 1) throw new RangeError('not base64');
  const bytes = new Uint8Array(Math.floor((length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (let i = 0; i < length; i++) {
    const value = BASE64_VALUE[chars[i]!]!;
    if (value < 0) throw new RangeError(`not base64 at ${i}`);
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes;
}

/** Packs vectors (each `dimensions` long) as base64 Float32 little-endian, for ChunksEmbedded.vectors. */
export function packVectors(vectors: ReadonlyArray<ArrayLike<number>>, dimensions: number): string {
  const view = new DataView(new ArrayBuffer(vectors.length * dimensions * 4));
  vectors.forEach((vector, row) => {
    if (vector.length !== dimensions) throw new RangeError(`vector ${row} has ${vector.length} values, not ${dimensions}`);
    for (let i = 0; i < dimensions; i++) view.setFloat32((row * dimensions + i) * 4, vector[i]!, true);
  });
  return toBase64(new Uint8Array(view.buffer));
}

/** Inverse of packVectors: one Float32Array per chunk id. */
export function unpackVectors(packed: string, dimensions: number): Float32Array[] {
  const bytes = fromBase64(packed);
  if (bytes.length % (dimensions * 4) !== 0) throw new RangeError(`packed vectors are not a multiple of ${dimensions} floats`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vectors: Float32Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += dimensions * 4) {
    const vector = new Float32Array(dimensions);
    for (let i = 0; i < dimensions; i++) vector[i] = view.getFloat32(offset + i * 4, true);
    vectors.push(vector);
  }
  return vectors;
}
