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

/** The knowledge base's posting key, handed out on its first chunk (with its statistics row). */
async function knowledgeBaseKey(tx: SqlExecutor, knowledgeBaseId: string): Promise<number> {
  const found = await tx.query<{ key: number }>(
    `SELECT knowledge_base_key AS key FROM chunk_corpus_stats WHERE knowledge_base_id = $1`,
    [knowledgeBaseId],
  );
  if (found[0]) return found[0].key;
  const created = await tx.query<{ key: number }>(
    `WITH next AS (UPDATE chunk_key_counter SET last_knowledge_base = last_knowledge_base + 1 RETURNING last_knowledge_base)
     INSERT INTO chunk_corpus_stats (knowledge_base_id, chunk_count, term_total, knowledge_base_key)
     SELECT $1, 0, 0, last_knowledge_base FROM next
     RETURNING knowledge_base_key AS key`,
    [knowledgeBaseId],
  );
  return created[0]!.key;
}

/** Inserts the chunks not yet present (a replayed event adds nothing) and indexes their terms. */
export async function addChunks(tx: SqlExecutor, batch: ChunkBatch): Promise<number> {
  if (batch.chunks.length === 0) return 0;
  const present = await tx.query<{ chunk_id: string }>(`SELECT chunk_id FROM chunks WHERE chunk_id = ANY($1::text[])`, [
    batch.chunks.map((chunk) => chunk.chunkId),
  ]);
  const known = new Set(present.map((row) => row.chunk_id));
  const added = batch.chunks
    .filter((chunk) => !known.has(chunk.chunkId))
    .map((chunk) => ({ chunk, ...termFrequencies(chunk.text) }));
  if (added.length === 0) return 0;
  const baseKey = await knowledgeBaseKey(tx, batch.knowledgeBaseId);
  const [counter] = await tx.query<{ first: number }>(
    `UPDATE chunk_key_counter SET last_chunk = last_chunk + $1 RETURNING last_chunk - $1 AS first`,
    [added.length],
  );
  const keys = added.map((_, i) => counter!.first + i + 1);
  await tx.query(
    `INSERT INTO chunks (chunk_id, chunk_key, document_id, knowledge_base_id, revision, chunk_index, document_name, text,
                         heading_path, page, token_count, term_count)
     SELECT id, key, $1, $2, $3, idx, $4, body, heading::jsonb, page, tokens, terms
       FROM unnest($5::text[], $6::int8[], $7::int[], $8::text[], $9::text[], $10::int[], $11::int[], $12::int[])
            AS x(id, key, idx, body, heading, page, tokens, terms)`,
    [
      batch.documentId,
      batch.knowledgeBaseId,
      batch.revision,
      batch.documentName,
      added.map(({ chunk }) => chunk.chunkId),
      keys,
      added.map(({ chunk }) => chunk.index),
      added.map(({ chunk }) => chunk.text),
      added.map(({ chunk }) => JSON.stringify(chunk.headingPath)),
      added.map(({ chunk }) => chunk.page ?? null),
      added.map(({ chunk }) => chunk.tokenCount),
      added.map(({ length }) => length),
    ],
  );

  const terms: string[] = [];
  const chunkKeys: number[] = [];
  const tfs: number[] = [];
  const lengths: number[] = [];
  added.forEach(({ frequencies, length }, i) => {
    for (const [term, tf] of frequencies) {
      terms.push(term);
      chunkKeys.push(keys[i]!);
      tfs.push(Math.min(tf, 32767));
      lengths.push(length);
    }
  });
  await tx.query(
    `INSERT INTO chunk_postings (knowledge_base_key, term, chunk_key, tf, term_count)
     SELECT $1, t, c, f, l FROM unnest($2::text[], $3::int8[], $4::int2[], $5::int[]) AS x(t, c, f, l) ORDER BY t, c`,
    [baseKey, terms, chunkKeys, tfs, lengths],
  );
  await tx.query(
    `INSERT INTO chunk_term_stats (knowledge_base_id, term, df)
     SELECT $1, t, count(*) FROM unnest($2::text[]) AS x(t) GROUP BY t
     ON CONFLICT (knowledge_base_id, term) DO UPDATE SET df = chunk_term_stats.df + EXCLUDED.df`,
    [batch.knowledgeBaseId, terms],
  );
  await tx.query(
    `UPDATE chunk_corpus_stats SET chunk_count = chunk_count + $2, term_total = term_total + $3
      WHERE knowledge_base_id = $1`,
    [batch.knowledgeBaseId, added.length, added.reduce((sum, { length }) => sum + length, 0)],
  );
  return added.length;
}

/** Drops the document's chunks of a revision below `belowRevision` (all of them: Infinity), with their postings. */
export async function dropChunks(tx: SqlExecutor, documentId: string, belowRevision: number): Promise<void> {
  const below = Number.isFinite(belowRevision) ? belowRevision : 2 ** 31 - 1;
  const gone = await tx.query<{
    chunk_id: string;
    chunk_key: number;
    knowledge_base_id: string;
    knowledge_base_key: number;
    term_count: number;
    text: string;
  }>(
    `WITH gone AS (
       DELETE FROM chunks WHERE document_id = $1 AND revision < $2
       RETURNING chunk_id, chunk_key, knowledge_base_id, term_count, text)
     SELECT gone.*, s.knowledge_base_key FROM gone JOIN chunk_corpus_stats s USING (knowledge_base_id)`,
    [documentId, below],
  );
  if (gone.length === 0) return;
  await tx.query(`DELETE FROM chunk_vectors WHERE chunk_id = ANY($1::text[])`, [gone.map((row) => row.chunk_id)]);
  const baseKeys: number[] = [];
  const terms: string[] = [];
  const chunkKeys: number[] = [];
  const documentFrequencies = new Map<string, { knowledgeBaseId: string; term: string; n: number }>();
  for (const row of gone) {
    for (const term of termFrequencies(row.text).frequencies.keys()) {
      baseKeys.push(row.knowledge_base_key);
      terms.push(term);
      chunkKeys.push(row.chunk_key);
      const key = `${row.knowledge_base_id}\u0000${term}`;
      const entry = documentFrequencies.get(key) ?? { knowledgeBaseId: row.knowledge_base_id, term, n: 0 };
      entry.n += 1;
      documentFrequencies.set(key, entry);
    }
  }
  await tx.query(
    `DELETE FROM chunk_postings p USING unnest($1::int[], $2::text[], $3::int8[]) AS x(kb, term, chunk)
      WHERE p.knowledge_base_key = x.kb AND p.term = x.term AND p.chunk_key = x.chunk`,
    [baseKeys, terms, chunkKeys],
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
