/**
 * search(knowledgeBaseId, query, limit): the chunks of one knowledge base that best answer a query, hybrid-ranked
 * (fusion.ts). The caller's right to the knowledge base is checked by the resolver, not here. The query embedder
 * is injected (the composition root passes the same embedder the pipeline uses); without one, or with a dense
 * weight of 0, the search is BM25 alone and never calls a model. A rerank stage may follow it (rerank.ts).
 */
import { DomainError } from '../../contracts/errors.ts';
import type { Sql } from '../../contracts/sql.ts';
import { queryTerms } from '../../projections/chunks/text-analysis.ts';
import { bm25TopChunks, bm25TopHits, type Bm25Parameters, type ChunkRow } from './bm25.ts';
import { denseCandidates } from './dense.ts';
import { fuse, type SearchWeights } from './fusion.ts';
import { usesDenseRanking } from './search-options.ts';

export interface SearchHit {
  chunkId: string;
  documentId: string;
  /** The document revision the chunk was cut from. */
  revision: number;
  documentName: string;
  /** Headings above the chunk in its document, outermost first (for citations). */
  headingPath: string[];
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

export interface ChunkSearchCall {
  /** The caller giving up (a turn's step aborted): a rerank request in flight is cancelled. */
  signal?: AbortSignal | undefined;
}

export type ChunkSearch = (knowledgeBaseId: string, query: string, limit: number, call?: ChunkSearchCall) => Promise<SearchHit[]>;

export const MAX_SEARCH_LIMIT = 50;
export const MAX_QUERY_CHARS = 4000;

/** Refuses a limit or a query the search does not take (BAD_USER_INPUT), before any work. */
export function checkSearchRequest(query: string, limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw new DomainError('BAD_USER_INPUT', `limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}`);
  }
  if (query.length > MAX_QUERY_CHARS) {
    throw new DomainError('BAD_USER_INPUT', `query is longer than ${MAX_QUERY_CHARS} characters`);
  }
}

export function createChunkSearch(options: ChunkSearchOptions): ChunkSearch {
  const { sql, embedder, weights, bm25 } = options;
  const useLexical = weights.lexical > 0;
  const useDense = usesDenseRanking(weights) && embedder !== undefined;

  return async function search(knowledgeBaseId, query, limit) {
    checkSearchRequest(query, limit);
    if (query.trim() === '' || (!useLexical && !useDense)) return [];
    if (!useDense) {
      // BM25 alone: one round trip, scores scaled like fuse() does (best = the lexical weight).
      const hits = await bm25TopHits(sql, knowledgeBaseId, queryTerms(query), limit, bm25);
      const best = hits[0]?.score ?? 1;
      return hits.map((hit) => ({
        chunkId: hit.chunk_id,
        documentId: hit.document_id,
        revision: Number(hit.revision),
        documentName: hit.document_name,
        headingPath: hit.heading_path,
        text: hit.text,
        score: (weights.lexical * hit.score) / best,
      }));
    }
    // Embed before taking a connection: a remote model must not hold the database.
    const [vector] = await embedder.embed([query]);
    const pool = Math.max(options.candidates, limit);
    return sql.transaction(async (tx) => {
      const lexical = useLexical
        ? await bm25TopChunks(tx, knowledgeBaseId, queryTerms(query), pool, bm25)
        : new Map<string, number>();
      const dense = vector
        ? await denseCandidates(tx, knowledgeBaseId, embedder.model, vector, pool, [...lexical.keys()])
        : new Map<string, number>();
      const ranked = fuse(lexical, dense, weights).slice(0, limit);
      if (ranked.length === 0) return [];
      const rows = await tx.query<ChunkRow>(
        `SELECT chunk_id, document_id, revision, document_name, heading_path, text FROM chunks WHERE chunk_id = ANY($1::text[])`,
        [ranked.map((candidate) => candidate.chunkId)],
      );
      const byId = new Map(rows.map((row) => [row.chunk_id, row]));
      return ranked.flatMap(({ chunkId, score }) => {
        const row = byId.get(chunkId);
        if (!row) return [];
        const { document_id: documentId, document_name: documentName, heading_path: headingPath, text } = row;
        return [{ chunkId, documentId, revision: Number(row.revision), documentName, headingPath, text, score }];
      });
    });
  };
}
