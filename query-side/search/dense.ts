/**
 * Dense candidates: the nearest chunks by cosine distance through the HNSW index, within one knowledge base and one
 * embedding model (vectors of different models are not comparable), plus the exact similarity of given chunks (the
 * lexical candidates the index walk did not reach). pgvector >= 0.8's iterative scan keeps walking the graph until
 * enough rows pass the knowledge-base filter, so a small base among large ones still gets its neighbours.
 */
import type { SqlExecutor } from '../../contracts/sql.ts';
import { vectorLiteral } from '../../projections/chunks/chunk-vectors.ts';

/** Call inside a transaction: the index settings are transaction-local. */
export async function denseCandidates(
  tx: SqlExecutor,
  knowledgeBaseId: string,
  model: string,
  vector: Float32Array,
  limit: number,
  alsoChunkIds: readonly string[],
): Promise<Map<string, number>> {
  await tx.exec(
    `SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL hnsw.ef_search = ${Math.max(40, Math.min(1000, limit))}`,
  );
  const rows = await tx.query<{ chunk_id: string; similarity: number }>(
    `(SELECT chunk_id, (1 - (embedding <=> $2::vector))::float8 AS similarity
        FROM chunk_vectors
       WHERE knowledge_base_id = $1 AND model = $3
       ORDER BY embedding <=> $2::vector
       LIMIT $4)
     UNION
     SELECT chunk_id, (1 - (embedding <=> $2::vector))::float8
       FROM chunk_vectors
      WHERE chunk_id = ANY($5::text[]) AND knowledge_base_id = $1 AND model = $3`,
    [knowledgeBaseId, vectorLiteral(vector), model, limit, alsoChunkIds],
  );
  return new Map(rows.map((row) => [row.chunk_id, Number(row.similarity)]));
}
