/**
 * The offline embedder: no model, no download. It hashes lexical features into `dimensions` buckets (the "hashing
 * trick"), with a hash-derived sign so collisions cancel rather than pile up, then L2-normalises:
 * - English (and other space-separated scripts): Porter-stemmed words, plus character trigrams of each word so that
 *   near forms ("colour"/"colors") still overlap;
 * - Chinese and Japanese: character unigrams and bigrams (no segmenter; as good as one for retrieval here).
 * It is deterministic and fast, and it is NOT semantic: synonyms and paraphrases do not meet. Measured on SQuAD/CMRC
 * it ranks below plain BM25, which is why the search gives it little or no weight (see query-side/search).
 */
import { stemmer } from 'stemmer';
import { eventLoopTurns } from '../../../contracts/event-loop-turns.ts';
import { isCjkRun, textTokens } from '../../../contracts/text-tokens.ts';
import type { Embedder } from './embedder.ts';

export const LOCAL_EMBEDDING_MODEL = 'local-hashed-ngrams-v1';


/** Function words carry no topic; left in, they dominate every vector and make all texts look alike. */
const FUNCTION_WORDS = new Set(
  ('a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it ' +
    'its of on or our she so than that the their them then there these they this to was we were what when where which ' +
    'who whom whose why will with would you your').split(' '),
);

const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.25;
const UNIGRAM_WEIGHT = 0.5;
const BIGRAM_WEIGHT = 1;

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Weighted features of one text, accumulated into a map (feature -> weight). */
export function embeddingFeatures(text: string): Map<string, number> {
  const features = new Map<string, number>();
  const add = (feature: string, weight: number) => features.set(feature, (features.get(feature) ?? 0) + weight);
  for (const token of textTokens(text)) {
    if (isCjkRun(token)) {
      const chars = [...token];
      chars.forEach((char, i) => {
        add(`u:${char}`, UNIGRAM_WEIGHT);
        if (i + 1 < chars.length) add(`b:${char}${chars[i + 1]}`, BIGRAM_WEIGHT);
      });
    } else if (!FUNCTION_WORDS.has(token)) {
      add(`w:${stemmer(token)}`, WORD_WEIGHT);
      const padded = `<${token}>`;
      for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
    }
  }
  return features;
}

export function embedLocally(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const [feature, weight] of embeddingFeatures(text)) {
    const h = hash(feature);
    // Sublinear in the count: a word repeated ten times is not ten times the topic.
    vector[h % dimensions]! += (h & 0x80000000 ? -1 : 1) * Math.log1p(weight);
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < dimensions; i++) vector[i]! /= norm;
  return vector;
}

export function createLocalEmbedder(options: { dimensions: number }): Embedder {
  const { dimensions } = options;
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError(`dimensions must be a positive integer`);
  return {
    model: `${LOCAL_EMBEDDING_MODEL}-${dimensions}`,
    dimensions,
    kind: 'local',
    embed: async (texts) => {
      // A batch of 64 chunks is tens of milliseconds of hashing on the loop that also answers the API.
      const turns = eventLoopTurns();
      const vectors: Float32Array[] = [];
      for (const text of texts) {
        await turns.maybeYield();
        vectors.push(embedLocally(text, dimensions));
      }
      return vectors;
    },
  };
}
