/**
 * Hybrid ranking: a weighted sum of the lexical score (BM25 / best BM25 of the candidates) and the dense score
 * (cosine similarity, min-max scaled over the candidates). With the dense weight at 0 the order is exactly BM25's,
 * which is the default with the local embedder: measured on SQuAD/CMRC, any weight given to that weak embedder
 * ranks below BM25 alone (ops/bench/retrieval.ts prints both).
 */
export interface SearchWeights {
  lexical: number;
  dense: number;
}

export interface FusedCandidate {
  chunkId: string;
  score: number;
  lexical: number | undefined;
  dense: number | undefined;
}

export function fuse(
  lexical: ReadonlyMap<string, number>,
  dense: ReadonlyMap<string, number>,
  weights: SearchWeights,
): FusedCandidate[] {
  const maxLexical = Math.max(0, ...lexical.values());
  const similarities = [...dense.values()];
  const minDense = Math.min(...similarities);
  const maxDense = Math.max(...similarities);
  const scaleDense = (similarity: number) =>
    maxDense > minDense ? (similarity - minDense) / (maxDense - minDense) : 1;

  const ids = new Set([...lexical.keys(), ...dense.keys()]);
  const fused = [...ids].map((chunkId): FusedCandidate => {
    const lexicalScore = lexical.get(chunkId);
    const denseScore = dense.get(chunkId);
    const score =
      weights.lexical * (lexicalScore !== undefined && maxLexical > 0 ? lexicalScore / maxLexical : 0) +
      weights.dense * (denseScore !== undefined ? scaleDense(denseScore) : 0);
    return { chunkId, score, lexical: lexicalScore, dense: denseScore };
  });
  return fused.sort(
    (a, b) =>
      b.score - a.score ||
      (b.lexical ?? 0) - (a.lexical ?? 0) ||
      (b.dense ?? -1) - (a.dense ?? -1) ||
      (a.chunkId < b.chunkId ? -1 : a.chunkId > b.chunkId ? 1 : 0),
  );
}
