/**
 * What the pipeline (documents) and the query side (search) need from an embedding model. One vector per input
 * text, in input order, each `dimensions` long. Vectors are stored in events, so a rebuild never calls a model.
 */
export interface Embedder {
  /** Recorded with every vector (ChunksEmbedded.model): search only compares vectors of the same model. */
  readonly model: string;
  readonly dimensions: number;
  /** 'local': the offline hashed-feature embedder (weak: lexical ranking leads); 'remote': a real model. */
  readonly kind: 'local' | 'remote';
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
