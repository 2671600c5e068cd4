/**
 * Nearest chunks by cosine distance through the HNSW index, within one knowledge base and one embedding model
 * (vectors of different models are not comparable). pgvector >= 0.8's iterative scan keeps walking the graph until
 * enough rows pass the knowledge-base filter, so a small base among large ones still gets its neighbours.
 */
import type { Sql } from '../../ops/sql/types.ts';
import { vectorLiteral as literal } from '../../projections/chunks/chunk-rows.ts';

export async function denseTopChunks(
  sql: Sql,
  knowledgeBaseId: string,
  model: string,
  vector: Float32Array,
  limit: number,
): Promise<Map<string, number>> {
  const rows = await sql.transaction(async (tx) => {
    await tx.exec(`SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL hnsw.ef_search = ${Math.max(40, limit)}`);
    return tx.query<{ chunk_id: string; similarity: number }>(
      `SELECT chunk_id, (1 - (embedding <=> $2::vector))::float8 AS similarity
         FROM chunks
        WHERE knowledge_base_id = $1 AND embedding_model = $3
        ORDER BY embedding <=> $2::vector
        LIMIT $4`,
      [knowledgeBaseId, literal(vector), model, limit],
    );
  });
  return new Map(rows.map((row) => [row.chunk_id, Number(row.similarity)]));
}

/** Exact similarities of given chunks (lexical candidates the index walk did not reach). */
export async function denseSimilarities(
  sql: Sql,
  chunkIds: readonly string[],
  model: string,
  vector: Float32Array,
): Promise<Map<string, number>> {
  if (chunkIds.length === 0) return new Map();
  const rows = await sql.query<{ chunk_id: string; similarity: number }>(
    `SELECT chunk_id, (1 - (embedding <=> $2::vector))::float8 AS similarity
       FROM chunks WHERE chunk_id = ANY($1::text[]) AND embedding_model = $3`,
    [chunkIds, literal(vector), model],
  );
  return new Map(rows.map((row) => [row.chunk_id, Number(row.similarity)]));
}
