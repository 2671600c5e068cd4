/**
 * BM25 over the chunks projection's inverted index, in SQL: idf from the knowledge base's document frequencies,
 * term-frequency saturation (k1) and length normalisation (b) from the posting's chunk length and the base's mean.
 * Only postings of the query's terms are read, all within one knowledge base.
 */
import type { SqlExecutor } from '../../ops/sql/types.ts';

export interface Bm25Parameters {
  k1: number;
  b: number;
}

export async function bm25TopChunks(
  sql: SqlExecutor,
  knowledgeBaseId: string,
  terms: readonly string[],
  limit: number,
  parameters: Bm25Parameters,
): Promise<Map<string, number>> {
  if (terms.length === 0) return new Map();
  const rows = await sql.query<{ chunk_id: string; score: number }>(
    `WITH stats AS (
       SELECT chunk_count::float8 AS n, term_total::float8 / chunk_count AS avgdl
         FROM chunk_corpus_stats WHERE knowledge_base_id = $1 AND chunk_count > 0
     ), q AS (
       SELECT t.term, ln(1 + (s.n - t.df + 0.5) / (t.df + 0.5)) AS idf
         FROM chunk_term_stats t CROSS JOIN stats s
        WHERE t.knowledge_base_id = $1 AND t.term = ANY($2::text[])
     )
     SELECT p.chunk_id,
            sum(q.idf * p.tf * ($3::float8 + 1)
                / (p.tf + $3::float8 * (1 - $4::float8 + $4::float8 * p.term_count / s.avgdl)))::float8 AS score
       FROM q
       JOIN chunk_postings p ON p.knowledge_base_id = $1 AND p.term = q.term
      CROSS JOIN stats s
      GROUP BY p.chunk_id
      ORDER BY score DESC, p.chunk_id
      LIMIT $5`,
    [knowledgeBaseId, terms, parameters.k1, parameters.b, limit],
  );
  return new Map(rows.map((row) => [row.chunk_id, Number(row.score)]));
}
