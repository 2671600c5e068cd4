/**
 * Set-based writes of the chunks read model: adding a batch of chunks with their postings and statistics, and
 * dropping a document's chunks with theirs, each in a few statements whatever the number of chunks.
 */
import type { SqlExecutor } from '../../ops/sql/types.ts';
import type { Chunk } from '../../contracts/documents.ts';
import { termFrequencies } from './text-analysis.ts';

export interface ChunkBatch {
  documentId: string;
  knowledgeBaseId: string;
  documentName: string;
  revision: number;
  chunks: readonly Chunk[];
}

/** Inserts the chunks not yet present (a replayed event adds nothing) and indexes their terms. */
export async function addChunks(tx: SqlExecutor, batch: ChunkBatch): Promise<number> {
  if (batch.chunks.length === 0) return 0;
  const analysed = batch.chunks.map((chunk) => ({ chunk, ...termFrequencies(chunk.text) }));
  const inserted = await tx.query<{ chunk_id: string }>(
    `INSERT INTO chunks (chunk_id, document_id, knowledge_base_id, revision, chunk_index, document_name, text,
                         heading_path, page, token_count, term_count)
     SELECT id, $1, $2, $3, idx, $4, body, heading::jsonb, page, tokens, terms
       FROM unnest($5::text[], $6::int[], $7::text[], $8::text[], $9::int[], $10::int[], $11::int[])
            AS x(id, idx, body, heading, page, tokens, terms)
     ON CONFLICT (chunk_id) DO NOTHING
     RETURNING chunk_id`,
    [
      batch.documentId,
      batch.knowledgeBaseId,
      batch.revision,
      batch.documentName,
      analysed.map(({ chunk }) => chunk.chunkId),
      analysed.map(({ chunk }) => chunk.index),
      analysed.map(({ chunk }) => chunk.text),
      analysed.map(({ chunk }) => JSON.stringify(chunk.headingPath)),
      analysed.map(({ chunk }) => chunk.page ?? null),
      analysed.map(({ chunk }) => chunk.tokenCount),
      analysed.map(({ length }) => length),
    ],
  );
  const fresh = new Set(inserted.map((row) => row.chunk_id));
  const added = analysed.filter(({ chunk }) => fresh.has(chunk.chunkId));
  if (added.length === 0) return 0;

  const terms: string[] = [];
  const chunkIds: string[] = [];
  const tfs: number[] = [];
  const lengths: number[] = [];
  for (const { chunk, frequencies, length } of added) {
    for (const [term, tf] of frequencies) {
      terms.push(term);
      chunkIds.push(chunk.chunkId);
      tfs.push(tf);
      lengths.push(length);
    }
  }
  await tx.query(
    `INSERT INTO chunk_postings (knowledge_base_id, term, chunk_id, tf, term_count)
     SELECT $1, t, c, f, l FROM unnest($2::text[], $3::text[], $4::int[], $5::int[]) AS x(t, c, f, l)`,
    [batch.knowledgeBaseId, terms, chunkIds, tfs, lengths],
  );
  await tx.query(
    `INSERT INTO chunk_term_stats (knowledge_base_id, term, df)
     SELECT $1, t, count(*) FROM unnest($2::text[]) AS x(t) GROUP BY t
     ON CONFLICT (knowledge_base_id, term) DO UPDATE SET df = chunk_term_stats.df + EXCLUDED.df`,
    [batch.knowledgeBaseId, terms],
  );
  await tx.query(
    `INSERT INTO chunk_corpus_stats (knowledge_base_id, chunk_count, term_total) VALUES ($1, $2, $3)
     ON CONFLICT (knowledge_base_id) DO UPDATE
       SET chunk_count = chunk_corpus_stats.chunk_count + EXCLUDED.chunk_count,
           term_total = chunk_corpus_stats.term_total + EXCLUDED.term_total`,
    [batch.knowledgeBaseId, added.length, added.reduce((sum, { length }) => sum + length, 0)],
  );
  return added.length;
}

/** Drops the document's chunks of a revision below `belowRevision` (all of them: Infinity), with their postings. */
export async function dropChunks(tx: SqlExecutor, documentId: string, belowRevision: number): Promise<void> {
  const below = Number.isFinite(belowRevision) ? belowRevision : 2 ** 31 - 1;
  const gone = await tx.query<{ chunk_id: string; knowledge_base_id: string; term_count: number; text: string }>(
    `DELETE FROM chunks WHERE document_id = $1 AND revision < $2 RETURNING chunk_id, knowledge_base_id, term_count, text`,
    [documentId, below],
  );
  if (gone.length === 0) return;
  await tx.query(`DELETE FROM chunk_vectors WHERE chunk_id = ANY($1::text[])`, [gone.map((row) => row.chunk_id)]);
  const bases: string[] = [];
  const terms: string[] = [];
  const chunkIds: string[] = [];
  const documentFrequencies = new Map<string, { knowledgeBaseId: string; term: string; n: number }>();
  for (const row of gone) {
    for (const term of termFrequencies(row.text).frequencies.keys()) {
      bases.push(row.knowledge_base_id);
      terms.push(term);
      chunkIds.push(row.chunk_id);
      const key = `${row.knowledge_base_id}\u0000${term}`;
      const entry = documentFrequencies.get(key) ?? { knowledgeBaseId: row.knowledge_base_id, term, n: 0 };
      entry.n += 1;
      documentFrequencies.set(key, entry);
    }
  }
  await tx.query(
    `DELETE FROM chunk_postings p USING unnest($1::text[], $2::text[], $3::text[]) AS x(kb, term, chunk)
      WHERE p.knowledge_base_id = x.kb AND p.term = x.term AND p.chunk_id = x.chunk`,
    [bases, terms, chunkIds],
  );
  const stats = [...documentFrequencies.values()];
  await tx.query(
    `UPDATE chunk_term_stats s SET df = s.df - x.n
       FROM unnest($1::text[], $2::text[], $3::int[]) AS x(kb, term, n)
      WHERE s.knowledge_base_id = x.kb AND s.term = x.term`,
    [stats.map((e) => e.knowledgeBaseId), stats.map((e) => e.term), stats.map((e) => e.n)],
  );
  await tx.query(
    `DELETE FROM chunk_term_stats s USING unnest($1::text[], $2::text[]) AS x(kb, term)
      WHERE s.knowledge_base_id = x.kb AND s.term = x.term AND s.df <= 0`,
    [stats.map((e) => e.knowledgeBaseId), stats.map((e) => e.term)],
  );
  const perBase = new Map<string, { chunks: number; terms: number }>();
  for (const row of gone) {
    const totals = perBase.get(row.knowledge_base_id) ?? { chunks: 0, terms: 0 };
    totals.chunks += 1;
    totals.terms += row.term_count;
    perBase.set(row.knowledge_base_id, totals);
  }
  for (const [knowledgeBaseId, { chunks, terms: total }] of perBase) {
    await tx.query(
      `UPDATE chunk_corpus_stats SET chunk_count = chunk_count - $2, term_total = term_total - $3
        WHERE knowledge_base_id = $1`,
      [knowledgeBaseId, chunks, total],
    );
  }
}

/** Stores vectors of chunks that exist (once: a replay adds nothing); vectors of dropped chunks are ignored. */
export async function setEmbeddings(
  tx: SqlExecutor,
  model: string,
  chunkIds: readonly string[],
  vectors: readonly Float32Array[],
): Promise<void> {
  await tx.query(
    `INSERT INTO chunk_vectors (chunk_id, knowledge_base_id, model, embedding)
     SELECT c.chunk_id, c.knowledge_base_id, $1, v.e::vector
       FROM unnest($2::text[], $3::text[]) AS v(id, e) JOIN chunks c ON c.chunk_id = v.id
     ON CONFLICT (chunk_id) DO NOTHING`,
    [model, chunkIds, vectors.map(vectorLiteral)],
  );
}

/** pgvector's text form, what `::vector` accepts. */
export const vectorLiteral = (vector: ArrayLike<number>): string => `[${Array.from(vector).join(',')}]`;
