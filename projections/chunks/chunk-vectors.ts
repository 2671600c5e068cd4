/**
 * Vector rows of the chunks read model (chunks and postings: add-chunks.ts, drop-chunks.ts).
 */
import type { SqlExecutor } from '../../contracts/sql.ts';

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
