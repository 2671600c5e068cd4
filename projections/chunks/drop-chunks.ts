/**
 * Dropping a document's chunks (of the revisions below a given one) with their vectors, postings and statistics.
 * Postings have no index by chunk: they are found again by recomputing each chunk's terms from its stored text and
 * heading path (chunkTerms, as when it was added). A document can have thousands of chunks, so they are taken in
 * pages, the terms are computed with turns for the event loop, and postings are deleted in statements of bounded
 * size (the parameters of one statement are copied synchronously: see add-chunks.ts).
 */
import type { SqlExecutor } from '../../contracts/sql.ts';
import { POSTINGS_PER_STATEMENT } from './add-chunks.ts';
import { chunkTerms } from './chunk-terms.ts';
import { eventLoopTurns } from '../../contracts/event-loop-turns.ts';

/** Chunks deleted per statement: their texts come back to this thread in one message. */
export const CHUNKS_PER_PAGE = 500;

type GoneChunk = {
  chunk_id: string;
  chunk_key: number;
  knowledge_base_id: string;
  knowledge_base_key: number;
  term_count: number;
  text: string;
  heading_path: string[];
};

/** Document frequencies to take back, per knowledge base and term. */
type DfDecrements = Map<string, { knowledgeBaseId: string; term: string; n: number }>;

async function deletePostings(tx: SqlExecutor, baseKeys: number[], terms: string[], chunkKeys: number[]) {
  if (terms.length === 0) return;
  await tx.query(
    `DELETE FROM chunk_postings p USING unnest($1::int[], $2::text[], $3::int8[]) AS x(kb, term, chunk)
      WHERE p.knowledge_base_key = x.kb AND p.term = x.term AND p.chunk_key = x.chunk`,
    [baseKeys, terms, chunkKeys],
  );
}

/** Deletes the postings of a page of chunks; counts what their terms took from the document frequencies. */
async function dropPostings(tx: SqlExecutor, page: readonly GoneChunk[], decrements: DfDecrements): Promise<void> {
  const turns = eventLoopTurns();
  let baseKeys: number[] = [];
  let terms: string[] = [];
  let chunkKeys: number[] = [];
  for (const row of page) {
    for (const term of chunkTerms(row.text, row.heading_path).frequencies.keys()) {
      baseKeys.push(row.knowledge_base_key);
      terms.push(term);
      chunkKeys.push(row.chunk_key);
      const key = `${row.knowledge_base_id}\u0000${term}`;
      const entry = decrements.get(key);
      if (entry) entry.n += 1;
      else decrements.set(key, { knowledgeBaseId: row.knowledge_base_id, term, n: 1 });
    }
    if (terms.length >= POSTINGS_PER_STATEMENT) {
      await deletePostings(tx, baseKeys, terms, chunkKeys);
      baseKeys = [];
      terms = [];
      chunkKeys = [];
    }
    await turns.maybeYield();
  }
  await deletePostings(tx, baseKeys, terms, chunkKeys);
}

/** Lowers document frequencies; a term no chunk has any more loses its row. */
async function lowerDocumentFrequencies(tx: SqlExecutor, decrements: DfDecrements): Promise<void> {
  const turns = eventLoopTurns();
  const all = [...decrements.values()];
  for (let start = 0; start < all.length; start += POSTINGS_PER_STATEMENT) {
    const part = all.slice(start, start + POSTINGS_PER_STATEMENT);
    // The two halves touch disjoint rows (df <= n or df > n in the statement's snapshot): one statement is safe.
    await tx.query(
      `WITH x AS (SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) AS x(kb, term, n)),
            emptied AS (DELETE FROM chunk_term_stats s USING x
                         WHERE s.knowledge_base_id = x.kb AND s.term = x.term AND s.df <= x.n)
       UPDATE chunk_term_stats s SET df = s.df - x.n FROM x
        WHERE s.knowledge_base_id = x.kb AND s.term = x.term AND s.df > x.n`,
      [part.map((e) => e.knowledgeBaseId), part.map((e) => e.term), part.map((e) => e.n)],
    );
    await turns.maybeYield();
  }
}

/** Drops the document's chunks of a revision below `belowRevision` (all of them: Infinity), with their postings. */
export async function dropChunks(tx: SqlExecutor, documentId: string, belowRevision: number): Promise<void> {
  const below = Number.isFinite(belowRevision) ? belowRevision : 2 ** 31 - 1;
  await tx.query(`DELETE FROM chunks_disabled WHERE document_id = $1 AND revision < $2`, [documentId, below]);
  await dropChunksWhere(tx, 'document_id = $1 AND revision < $2', [documentId, below]);
}

/** Drops these chunks from the index (postings, statistics, vectors). */
export const dropChunkIds = (tx: SqlExecutor, chunkIds: readonly string[]): Promise<void> =>
  dropChunksWhere(tx, 'chunk_id = ANY($1::text[])', [chunkIds]);

/** Drops the chunks `where` selects (SQL over chunks, with `params`), page by page. */
async function dropChunksWhere(tx: SqlExecutor, where: string, params: unknown[]): Promise<void> {
  const decrements: DfDecrements = new Map();
  const perBase = new Map<string, { chunks: number; terms: number }>();
  for (;;) {
    const page = await tx.query<GoneChunk>(
      `WITH gone AS (
         DELETE FROM chunks WHERE chunk_id IN (
           SELECT chunk_id FROM chunks WHERE ${where} LIMIT $${params.length + 1})
         RETURNING chunk_id, chunk_key, knowledge_base_id, term_count, text, heading_path)
       SELECT gone.*, s.knowledge_base_key FROM gone JOIN chunk_corpus_stats s USING (knowledge_base_id)`,
      [...params, CHUNKS_PER_PAGE],
    );
    if (page.length === 0) break;
    await tx.query(`DELETE FROM chunk_vectors WHERE chunk_id = ANY($1::text[])`, [page.map((row) => row.chunk_id)]);
    await dropPostings(tx, page, decrements);
    for (const row of page) {
      const totals = perBase.get(row.knowledge_base_id) ?? { chunks: 0, terms: 0 };
      totals.chunks += 1;
      totals.terms += row.term_count;
      perBase.set(row.knowledge_base_id, totals);
    }
  }
  await lowerDocumentFrequencies(tx, decrements);
  for (const [knowledgeBaseId, { chunks, terms }] of perBase) {
    await tx.query(
      `UPDATE chunk_corpus_stats SET chunk_count = chunk_count - $2, term_total = term_total - $3
        WHERE knowledge_base_id = $1`,
      [knowledgeBaseId, chunks, terms],
    );
  }
}
