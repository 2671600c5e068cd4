/**
 * search(knowledgeBaseId, query, limit): the chunks of one knowledge base that best answer a query, hybrid-ranked
 * (fusion.ts). The caller's right to the knowledge base is checked by the resolver, not here. The query embedder
 * is injected (the composition root passes the same embedder the pipeline uses); without one, or with a dense
 * weight of 0, the search is BM25 alone and never calls a model.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { Sql } from '../../ops/sql/types.ts';
import { queryTerms } from '../../projections/chunks/text-analysis.ts';
import { bm25TopChunks, type Bm25Parameters } from './bm25.ts';
import { denseSimilarities, denseTopChunks } from './dense.ts';
import { fuse, type SearchWeights } from './fusion.ts';

export interface SearchHit {
  chunkId: string;
  documentId: string;
  documentName: string;
  text: string;
  score: number;
}

/** What search needs of an embedder (structurally the ingestion Embedder). */
export interface QueryEmbedder {
  readonly model: string;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface ChunkSearchOptions {
  sql: Sql;
  embedder?: QueryEmbedder;
  weights: SearchWeights;
  bm25: Bm25Parameters;
  /** How many chunks each ranking proposes before fusion. */
  candidates: number;
}

export type ChunkSearch = (knowledgeBaseId: string, query: string, limit: number) => Promise<SearchHit[]>;

export const MAX_SEARCH_LIMIT = 50;
export const MAX_QUERY_CHARS = 4000;

export function createChunkSearch(options: ChunkSearchOptions): ChunkSearch {
  const { sql, embedder, weights, bm25 } = options;
  const useLexical = weights.lexical > 0;
  const useDense = weights.dense > 0 && embedder !== undefined;

  return async function search(knowledgeBaseId, query, limit) {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
      throw new DomainError('BAD_USER_INPUT', `limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}`);
    }
    if (query.length > MAX_QUERY_CHARS) {
      throw new DomainError('BAD_USER_INPUT', `query is longer than ${MAX_QUERY_CHARS} characters`);
    }
    if (query.trim() === '') return [];
    const pool = Math.max(options.candidates, limit);
    const lexical = useLexical
      ? await bm25TopChunks(sql, knowledgeBaseId, queryTerms(query), pool, bm25)
      : new Map<string, number>();
    let dense = new Map<string, number>();
    if (useDense) {
      const [vector] = await embedder.embed([query]);
      if (vector) {
        dense = await denseTopChunks(sql, knowledgeBaseId, embedder.model, vector, pool);
        const missing = [...lexical.keys()].filter((id) => !dense.has(id));
        for (const [id, similarity] of await denseSimilarities(sql, missing, embedder.model, vector)) {
          dense.set(id, similarity);
        }
      }
    }
    const ranked = fuse(lexical, dense, weights).slice(0, limit);
    if (ranked.length === 0) return [];
    const rows = await sql.query<{ chunk_id: string; document_id: string; document_name: string; text: string }>(
      `SELECT chunk_id, document_id, document_name, text FROM chunks
        WHERE chunk_id = ANY($1::text[]) AND knowledge_base_id = $2`,
      [ranked.map((candidate) => candidate.chunkId), knowledgeBaseId],
    );
    const byId = new Map(rows.map((row) => [row.chunk_id, row]));
    return ranked.flatMap(({ chunkId, score }) => {
      const row = byId.get(chunkId);
      return row
        ? [{ chunkId, documentId: row.document_id, documentName: row.document_name, text: row.text, score }]
        : [];
    });
  };
}
