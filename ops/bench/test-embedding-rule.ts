/**
 * What the bench's test embedding server computes (named so that no figure measured with it passes for a model's):
 * the local embedder's lexical features (stemmed words, word trigrams, Chinese unigrams and bigrams) hashed into
 * 4,096 buckets, projected to the requested dimensions by a fixed pseudo-random +-1 matrix (seeded, the same in
 * every run) and L2-normalised. Deterministic and lexical, like the local embedder but from a wider hash space and
 * a different reduction, so it is not the local embedder's vector either. It knows no synonyms or paraphrases.
 */
import { embedLocally } from '../../command-side/ingestion/embedding/local-embedder.ts';
import type { EmbeddingRule } from './embedding-server.ts';

export const TEST_EMBEDDING_MODEL = 'bench-hashed-ngrams-4096-projected';
const WIDE = 4096;

/** The +-1 projection matrix for `dimensions`, row-major, from an integer hash of (row, column); built once. */
const matrices = new Map<number, Int8Array>();
function projection(dimensions: number): Int8Array {
  let matrix = matrices.get(dimensions);
  if (!matrix) {
    matrix = new Int8Array(WIDE * dimensions);
    for (let row = 0; row < WIDE; row++) {
      for (let column = 0; column < dimensions; column++) {
        let h = Math.imul(row + 1, 0x9e3779b1) ^ Math.imul(column + 1, 0x85ebca77);
        h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
        h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
        matrix[row * dimensions + column] = (h ^ (h >>> 15)) & 1 ? 1 : -1;
      }
    }
    matrices.set(dimensions, matrix);
  }
  return matrix;
}

export const testEmbeddingRule: EmbeddingRule = (text, dimensions) => {
  const wide = embedLocally(text, WIDE);
  const matrix = projection(dimensions);
  const vector = new Float32Array(dimensions);
  for (let row = 0; row < WIDE; row++) {
    const value = wide[row]!;
    if (value === 0) continue;
    const offset = row * dimensions;
    for (let column = 0; column < dimensions; column++) vector[column]! += matrix[offset + column]! * value;
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < dimensions; i++) vector[i]! /= norm;
  return vector;
};
