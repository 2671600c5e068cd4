/**
 * Curation in the chunks read model (ChunkEdited, ChunkDisabled, ChunkEnabled on the current revision):
 * - an edited chunk leaves the index and comes back with its new text (postings recomputed) and its new vector;
 * - a disabled chunk moves whole, vector included, to chunks_disabled, out of every search; enabling moves it back.
 * The search queries stay as they are. Each handler is idempotent: an edit to the text the chunk has already, a
 * disable of a chunk not in the index, an enable of one not disabled change nothing.
 */
import type { ChunkEdited } from '../../contracts/documents.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { addChunks } from './add-chunks.ts';
import { setEmbeddings, vectorLiteral } from './chunk-vectors.ts';
import { dropChunkIds } from './drop-chunks.ts';

type ChunkRow = {
  chunk_id: string;
  document_id: string;
  knowledge_base_id: string;
  revision: number;
  chunk_index: number;
  document_name: string;
  text: string;
  heading_path: string[] | string;
  page: number | null;
  token_count: number;
};

const COLUMNS = `chunk_id, document_id, knowledge_base_id, revision, chunk_index, document_name, text, heading_path, page, token_count`;

const headingPathOf = (row: ChunkRow): string[] =>
  typeof row.heading_path === 'string' ? (JSON.parse(row.heading_path) as string[]) : row.heading_path;

/** Adds the row back to the index with `text` (its own unless given). */
async function index(tx: SqlExecutor, row: ChunkRow, text = row.text, tokenCount = row.token_count): Promise<void> {
  await addChunks(tx, {
    documentId: row.document_id,
    knowledgeBaseId: row.knowledge_base_id,
    documentName: row.document_name,
    revision: row.revision,
    chunks: [
      {
        chunkId: row.chunk_id,
        index: row.chunk_index,
        text,
        headingPath: headingPathOf(row),
        tokenCount,
        ...(row.page !== null && { page: row.page }),
      },
    ],
  });
}

/** The new vector, when vectors are stored and it fits the column. */
export type EditedVector = { model: string; values: Float32Array } | undefined;

export async function editChunk(tx: SqlExecutor, edit: ChunkEdited['data'], vector: EditedVector): Promise<void> {
  const [indexed] = await tx.query<ChunkRow>(`SELECT ${COLUMNS} FROM chunks WHERE chunk_id = $1 AND revision = $2`, [
    edit.chunkId,
    edit.revision,
  ]);
  if (indexed) {
    if (indexed.text === edit.text) return;
    await dropChunkIds(tx, [edit.chunkId]);
    await index(tx, indexed, edit.text, edit.tokenCount);
    if (vector) await setEmbeddings(tx, vector.model, [edit.chunkId], [vector.values]);
    return;
  }
  // Disabled: it takes the new text and vector, and goes back into search with them when enabled.
  await tx.query(
    `UPDATE chunks_disabled SET text = $2, token_count = $3, model = $4, embedding = $5 WHERE chunk_id = $1 AND revision = $6`,
    [edit.chunkId, edit.text, edit.tokenCount, vector?.model ?? null, vector ? vectorLiteral(vector.values) : null, edit.revision],
  );
}

export async function disableChunk(tx: SqlExecutor, chunkId: string, revision: number): Promise<void> {
  const moved = await tx.query<{ chunk_id: string }>(
    `INSERT INTO chunks_disabled (${COLUMNS}, model, embedding)
     SELECT ${COLUMNS.split(', ').map((column) => `c.${column}`).join(', ')}, v.model, v.embedding
       FROM chunks c LEFT JOIN chunk_vectors v USING (chunk_id)
      WHERE c.chunk_id = $1 AND c.revision = $2
     ON CONFLICT (chunk_id) DO NOTHING
     RETURNING chunk_id`,
    [chunkId, revision],
  );
  if (moved.length > 0) await dropChunkIds(tx, [chunkId]);
}

export async function enableChunk(tx: SqlExecutor, chunkId: string, revision: number): Promise<void> {
  const [row] = await tx.query<ChunkRow>(`SELECT ${COLUMNS} FROM chunks_disabled WHERE chunk_id = $1 AND revision = $2`, [
    chunkId,
    revision,
  ]);
  if (!row) return;
  await index(tx, row);
  await tx.query(
    `INSERT INTO chunk_vectors (chunk_id, knowledge_base_id, model, embedding)
     SELECT chunk_id, knowledge_base_id, model, embedding FROM chunks_disabled WHERE chunk_id = $1 AND embedding IS NOT NULL
     ON CONFLICT (chunk_id) DO NOTHING`,
    [chunkId],
  );
  await tx.query(`DELETE FROM chunks_disabled WHERE chunk_id = $1`, [chunkId]);
}
