/**
 * Tables of the chunks read model (owned by the chunks projector; the search reads them):
 * - chunk_documents: per document, the newest revision seen and whether it is deleted, so stale or late chunk
 *   events are ignored;
 * - chunks: one row per chunk of a live document; chunk_vectors: its vector (pgvector, HNSW cosine index);
 * - chunks_disabled: chunks a person took out of search, kept whole to be put back;
 * - chunk_postings / chunk_term_stats / chunk_corpus_stats: an inverted index per knowledge base for BM25, kept
 *   by this projector (term frequencies, document frequencies, chunk count and total length). Postings are keyed by
 *   small integers (chunks.chunk_key, chunk_corpus_stats.knowledge_base_key: migration 2) and found for deletion
 *   by recomputing the chunk's terms from its text (deterministic), so they need no index by chunk.
 * The vector column's size is the configured embedding dimension; changing it means rebuilding the projection.
 * Without pgvector (`pgvector: false`) chunk_vectors keeps its place with a plain real[] column and no index, so both
 * forms have the same tables (a rebuild from one to the other swaps them all) and nothing needs the extension; the
 * projector never fills it then.
 */
import type { Migration } from '../runtime/projector.ts';

export interface ChunkSchemaOptions {
  /** The database has the pgvector extension (default true). */
  pgvector?: boolean;
}

export function chunkMigrations(dimensions: number, options: ChunkSchemaOptions = {}): Migration[] {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 2000) {
    throw new RangeError(`embedding dimensions must be 1..2000 for an HNSW index, got ${dimensions}`);
  }
  const pgvector = options.pgvector ?? true;
  const embeddingType = pgvector ? `vector(${dimensions})` : 'real[]';
  const embeddingIndex = pgvector
    ? `CREATE INDEX chunk_vectors_embedding_idx ON chunk_vectors
  USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 32);`
    : '-- No pgvector: no vector index (the column stays empty).';
  return [
    {
      version: 1,
      sql: `
CREATE TABLE chunk_documents (
  document_id text PRIMARY KEY,
  knowledge_base_id text NOT NULL,
  revision integer NOT NULL,
  deleted boolean NOT NULL DEFAULT false
);
CREATE TABLE chunks (
  chunk_id text PRIMARY KEY,
  document_id text NOT NULL,
  knowledge_base_id text NOT NULL,
  revision integer NOT NULL,
  chunk_index integer NOT NULL,
  document_name text NOT NULL,
  text text NOT NULL,
  heading_path jsonb NOT NULL,
  page integer,
  token_count integer NOT NULL,
  term_count integer NOT NULL
);
CREATE INDEX chunks_document_idx ON chunks (document_id, revision);
CREATE INDEX chunks_knowledge_base_idx ON chunks (knowledge_base_id);
-- Vectors apart from the chunk rows: ChunksEmbedded inserts narrow rows instead of rewriting chunks (text and all
-- their indexes). ef_construction 32 (pgvector's default is 64): inserts cost about a third on PGlite, for a small
-- recall loss that a larger hnsw.ef_search at query time (query-side/search/dense.ts) makes up.
CREATE TABLE chunk_vectors (
  chunk_id text PRIMARY KEY,
  knowledge_base_id text NOT NULL,
  model text NOT NULL,
  embedding ${embeddingType} NOT NULL
);
${embeddingIndex}
CREATE TABLE chunk_postings (
  knowledge_base_id text NOT NULL,
  term text NOT NULL,
  chunk_id text NOT NULL,
  tf integer NOT NULL,
  term_count integer NOT NULL,
  PRIMARY KEY (knowledge_base_id, term, chunk_id)
);
CREATE TABLE chunk_term_stats (
  knowledge_base_id text NOT NULL,
  term text NOT NULL,
  df integer NOT NULL,
  PRIMARY KEY (knowledge_base_id, term)
);
CREATE TABLE chunk_corpus_stats (
  knowledge_base_id text PRIMARY KEY,
  chunk_count integer NOT NULL,
  term_total bigint NOT NULL
);`,
    },
    {
      // Compact postings: small integer keys instead of the knowledge base's and the chunk's text ids in every posting
      // row and index entry (298 MB -> about a third for 10,000 chunks, so a busy base's postings stay in
      // shared_buffers). Keys are handed out in log order from chunk_key_counter, so a rebuild gives the same keys
      // (a rolled-back batch rolls its keys back too, unlike a sequence). Rows from before this migration have no
      // key: the projector's version bump rebuilds them.
      version: 2,
      sql: `
CREATE TABLE chunk_key_counter (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_chunk bigint NOT NULL,
  last_knowledge_base integer NOT NULL
);
INSERT INTO chunk_key_counter VALUES (true, 0, 0);
ALTER TABLE chunks ADD COLUMN chunk_key bigint;
CREATE UNIQUE INDEX chunks_chunk_key_idx ON chunks (chunk_key);
ALTER TABLE chunk_corpus_stats ADD COLUMN knowledge_base_key integer;
CREATE UNIQUE INDEX chunk_corpus_stats_key_idx ON chunk_corpus_stats (knowledge_base_key);
DROP TABLE chunk_postings;
CREATE TABLE chunk_postings (
  chunk_key bigint NOT NULL,
  knowledge_base_key integer NOT NULL,
  term_count integer NOT NULL,
  tf smallint NOT NULL,
  term text NOT NULL,
  PRIMARY KEY (knowledge_base_key, term, chunk_key)
);`,
    },
    {
      // Chunks a person took out of search, with their vector, until put back (curate-chunks.ts): outside chunks and
      // its postings, so no search query needs a filter for them.
      version: 3,
      sql: `
CREATE TABLE chunks_disabled (
  chunk_id text PRIMARY KEY,
  document_id text NOT NULL,
  knowledge_base_id text NOT NULL,
  revision integer NOT NULL,
  chunk_index integer NOT NULL,
  document_name text NOT NULL,
  text text NOT NULL,
  heading_path jsonb NOT NULL,
  page integer,
  token_count integer NOT NULL,
  model text,
  embedding ${embeddingType}
);
CREATE INDEX chunks_disabled_document_idx ON chunks_disabled (document_id, revision);`,
    },
  ];
}
