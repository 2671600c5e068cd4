/**
 * Adding a DocumentChunked event's chunks with their postings and statistics, set-based: a few statements per
 * event whatever its number of chunks. The terms are computed between statements with turns for the event loop
 * (event-loop-turns.ts), and postings go in statements of at most POSTINGS_PER_STATEMENT rows: the parameters of
 * one statement are copied synchronously to the database (a structured clone to PGlite's thread, serialisation for
 * Postgres), ~100 ms for the 77,000 postings of a 256 kB event of Chinese text.
 */
import type { SqlExecutor } from '../../contracts/sql.ts';
import type { Chunk } from '../../contracts/documents.ts';
import { chunkTerms, type ChunkTerms } from './chunk-terms.ts';
import { eventLoopTurns } from '../../contracts/event-loop-turns.ts';

export interface ChunkBatch {
  documentId: string;
  knowledgeBaseId: string;
  documentName: string;
  revision: number;
  chunks: readonly Chunk[];
}

export const POSTINGS_PER_STATEMENT = 4000;

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

type Posting = { chunkKey: number; tf: number; length: number };

/** Adds a chunk's postings to those grouped by term (each term's in chunk order: they land on shared pages). */
function addPostings(byTerm: Map<string, Posting[]>, chunkKey: number, { frequencies, length }: ChunkTerms): void {
  for (const [term, tf] of frequencies) {
    let list = byTerm.get(term);
    if (!list) byTerm.set(term, (list = []));
    list.push({ chunkKey, tf: Math.min(tf, 32767), length });
  }
}

/** Writes postings and document frequencies, whole terms per statement (a term's df is counted in one place). */
async function insertPostings(
  tx: SqlExecutor,
  knowledgeBaseId: string,
  baseKey: number,
  byTerm: Map<string, Posting[]>,
): Promise<void> {
  const turns = eventLoopTurns();
  let terms: string[] = [];
  let chunkKeys: number[] = [];
  let tfs: number[] = [];
  let lengths: number[] = [];
  const flush = async () => {
    if (terms.length === 0) return;
    await tx.query(
      `WITH x AS (SELECT * FROM unnest($3::text[], $4::int8[], $5::int2[], $6::int[]) AS x(t, c, f, l)),
            postings AS (INSERT INTO chunk_postings (knowledge_base_key, term, chunk_key, tf, term_count)
                         SELECT $2, t, c, f, l FROM x ORDER BY t, c)
       INSERT INTO chunk_term_stats (knowledge_base_id, term, df)
       SELECT $1, t, count(*) FROM x GROUP BY t
       ON CONFLICT (knowledge_base_id, term) DO UPDATE SET df = chunk_term_stats.df + EXCLUDED.df`,
      [knowledgeBaseId, baseKey, terms, chunkKeys, tfs, lengths],
    );
    terms = [];
    chunkKeys = [];
    tfs = [];
    lengths = [];
  };
  for (const [term, postings] of byTerm) {
    for (const posting of postings) {
      terms.push(term);
      chunkKeys.push(posting.chunkKey);
      tfs.push(posting.tf);
      lengths.push(posting.length);
    }
    if (terms.length >= POSTINGS_PER_STATEMENT) await flush();
    await turns.maybeYield();
  }
  await flush();
}

/** Inserts the chunks not yet present (a replayed event adds nothing) and indexes their terms. */
export async function addChunks(tx: SqlExecutor, batch: ChunkBatch): Promise<number> {
  if (batch.chunks.length === 0) return 0;
  const present = await tx.query<{ chunk_id: string }>(`SELECT chunk_id FROM chunks WHERE chunk_id = ANY($1::text[])`, [
    batch.chunks.map((chunk) => chunk.chunkId),
  ]);
  const known = new Set(present.map((row) => row.chunk_id));
  const chunks = batch.chunks.filter((chunk) => !known.has(chunk.chunkId));
  if (chunks.length === 0) return 0;
  const baseKey = await knowledgeBaseKey(tx, batch.knowledgeBaseId);
  const [counter] = await tx.query<{ first: number }>(
    `UPDATE chunk_key_counter SET last_chunk = last_chunk + $1 RETURNING last_chunk - $1 AS first`,
    [chunks.length],
  );
  const keys = chunks.map((_, i) => counter!.first + i + 1);
  const turns = eventLoopTurns();
  const lengths: number[] = [];
  const byTerm = new Map<string, Posting[]>();
  for (const [i, chunk] of chunks.entries()) {
    const terms = chunkTerms(chunk.text, chunk.headingPath);
    lengths.push(terms.length);
    addPostings(byTerm, keys[i]!, terms);
    await turns.maybeYield();
  }
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
      chunks.map((chunk) => chunk.chunkId),
      keys,
      chunks.map((chunk) => chunk.index),
      chunks.map((chunk) => chunk.text),
      chunks.map((chunk) => JSON.stringify(chunk.headingPath)),
      chunks.map((chunk) => chunk.page ?? null),
      chunks.map((chunk) => chunk.tokenCount),
      lengths,
    ],
  );
  await insertPostings(tx, batch.knowledgeBaseId, baseKey, byTerm);
  await tx.query(
    `UPDATE chunk_corpus_stats SET chunk_count = chunk_count + $2, term_total = term_total + $3
      WHERE knowledge_base_id = $1`,
    [batch.knowledgeBaseId, chunks.length, lengths.reduce((sum, length) => sum + length, 0)],
  );
  return chunks.length;
}
