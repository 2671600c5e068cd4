/**
 * The sentences of the retrieved passages that best answer a question, by the question terms they share: each
 * shared term counts its weight times its rarity among the candidate sentences (BM25's idf), over a mild length
 * normalisation. A sentence is a candidate only if it shares a strong term (a word or a Chinese bigram) and
 * covers enough of the question's weight; none at all means the passages hold no answer, which the answerer says.
 */
import type { ContextPassage } from '../../../../contracts/answer-generation.ts';
import { splitSentences } from './sentences.ts';
import { STRONG, termWeights } from './sentence-terms.ts';

export interface QuotedSentence {
  text: string;
  /** The passage it was taken from: its citation. */
  passage: number;
  score: number;
}

export interface RankOptions {
  maxSentences: number;
  /** Share of the question's term weight a sentence must contain. */
  minCoverage: number;
  /** Sentences scoring below this share of the best one are left out. */
  minShareOfBest: number;
}

export const DEFAULT_RANK_OPTIONS: RankOptions = { maxSentences: 3, minCoverage: 0.25, minShareOfBest: 0.35 };

interface Candidate {
  text: string;
  passage: number;
  /** Retrieval rank, then position in the passage: the tie-breakers. */
  rank: number;
  order: number;
  terms: Map<string, number>;
}

/** Identity of a sentence across overlapping chunks, which repeat sentences. */
const sameText = (text: string) => text.toLowerCase().replace(/[\s\p{P}]+/gu, '');

export function bestSentences(
  question: string,
  passages: readonly ContextPassage[],
  options: RankOptions = DEFAULT_RANK_OPTIONS,
): QuotedSentence[] {
  const asked = termWeights(question);
  const askedWeight = [...asked.values()].reduce((sum, weight) => sum + weight, 0);
  if (askedWeight === 0) return [];
  const pool: Candidate[] = passages.flatMap((passage, rank) =>
    splitSentences(passage.text).map((text, order) => ({
      text,
      passage: passage.n,
      rank,
      order,
      terms: termWeights(text),
    })),
  );
  const documentFrequency = new Map<string, number>();
  for (const candidate of pool) {
    for (const term of candidate.terms.keys()) {
      if (asked.has(term)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
  }
  const idf = (term: string) => {
    const df = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (pool.length - df + 0.5) / (df + 0.5));
  };
  const averageLength = pool.reduce((sum, candidate) => sum + candidate.terms.size, 0) / Math.max(1, pool.length);

  const scored = pool.flatMap((candidate) => {
    const shared = [...asked].filter(([term]) => candidate.terms.has(term));
    const coverage = shared.reduce((sum, [, weight]) => sum + weight, 0) / askedWeight;
    if (!shared.some(([, weight]) => weight === STRONG) || coverage < options.minCoverage) return [];
    const matched = shared.reduce((sum, [term, weight]) => sum + weight * idf(term), 0);
    const score = matched / (0.5 + (0.5 * candidate.terms.size) / Math.max(1, averageLength));
    return [{ candidate, score }];
  });
  scored.sort(
    (a, b) => b.score - a.score || a.candidate.rank - b.candidate.rank || a.candidate.order - b.candidate.order,
  );

  const best: QuotedSentence[] = [];
  const seen = new Set<string>();
  for (const { candidate, score } of scored) {
    if (best.length === options.maxSentences) break;
    if (best[0] && score < best[0].score * options.minShareOfBest) break;
    const key = sameText(candidate.text);
    if (seen.has(key)) continue;
    seen.add(key);
    best.push({ text: candidate.text, passage: candidate.passage, score });
  }
  return best;
}
