/**
 * Tables of the chunks read model (owned by the chunks projector; the search reads them):
 * - chunk_documents: per document, the newest revision seen and whether it is deleted, so stale or late chunk
 *   events are ignored;
 * - chunks: one row per chunk of a live document; chunk_vectors: its vector (pgvector, HNSW cosine index);
 * - chunk_postings / chunk_term_stats / chunk_corpus_stats: an inverted index per knowledge base for BM25, kept
 *   by this projector (term frequencies, document frequencies, chunk count and total length). Postings are found
 *   for deletion by recomputing the chunk's terms from its text (deterministic), so they need no chunk_id index.
 * The vector column's size is the configured embedding dimension; changing it means rebuilding the projection.
 */
import type { Migration } from '../runtime/projector.ts';

export function chunkMigrations(dimensions: number): Migration[] {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 2000) {
    throw new RangeError(`embedding dimensions must be 1..2000 for an HNSW index, got ${dimensions}`);
  }
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
  embedding vector(${dimensions}) NOT NULL
);
CREATE INDEX chunk_vectors_embedding_idx ON chunk_vectors
  USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 32);
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
  ];
}
