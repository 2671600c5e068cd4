/**
 * The chunk search port the billing saga retrieves with (command-side may not import query-side): the query side's
 * hybrid search behind it, injected by the composition root. The caller's right to the knowledge base is checked
 * before (the turn commands do); the port only ranks.
 */

export interface ChunkSearchRequest {
  knowledgeBaseId: string;
  /** Who asks (for adapters that scope or meter by user). */
  userId: string;
  query: string;
  /** How many hits at most. */
  k: number;
  signal?: AbortSignal;
}

export interface ChunkSearchHit {
  chunkId: string;
  documentId: string;
  /** The document revision the chunk was cut from. */
  revision: number;
  score: number;
  text: string;
  /** The document's name. */
  title: string;
  /** Headings above the chunk, outermost first. */
  headingPath: string[];
}

export interface ChunkSearchPort {
  /** Best first; [] when nothing matches. */
  search(request: ChunkSearchRequest): Promise<ChunkSearchHit[]>;
}
