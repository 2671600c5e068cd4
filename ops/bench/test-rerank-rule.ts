/**
 * What the bench's test rerank server scores (named so that no figure measured with it passes for a model's): a
 * lexical rule, no model, seeing only the question and the candidates it is sent, as a rerank model does. A
 * candidate's score is the sum of two parts, each divided by the best candidate's:
 * - the passage: BM25 (k1 1.2, b 0.75) of the candidate's terms (the search's own analysis: stemmed words, Chinese
 *   unigrams and bigrams) with idf and average length taken over the candidates sent, not the knowledge base;
 * - its best two-sentence window: the question's terms it holds (the extractive answerer's term weights: question
 *   words dropped, a Chinese character a quarter of a bigram) times their idf over the candidates' sentences.
 * Chosen among seven lexical rules tried on a slice of the data (all within 0.05 of BM25's hit@1) as the one that
 * looks at both the passage and its best local evidence, as cross-encoders tend to. It knows no synonyms.
 */
import { termWeights } from '../../command-side/turns/generation/extractive/sentence-terms.ts';
import { splitSentences } from '../../command-side/turns/generation/extractive/sentences.ts';
import { analyze, queryTerms } from '../../projections/chunks/text-analysis.ts';
import type { RerankRule } from '../../query-side/search/rerank-server.testing.ts';

export const TEST_RERANK_MODEL = 'bench-lexical-passage-bm25-plus-sentence-window';

const K1 = 1.2;
const B = 0.75;
const WINDOW = 2;

interface Analysed {
  frequencies: Map<string, number>;
  length: number;
  /** Each two-sentence window's question-comparable terms. */
  windows: Set<string>[];
  sentences: Map<string, number>[];
}

// The bench sends the same chunks over and over: analyse each once.
const analysed = new Map<string, Analysed>();
function analysis(document: string): Analysed {
  let found = analysed.get(document);
  if (!found) {
    const terms = analyze(document);
    const frequencies = new Map<string, number>();
    for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    const sentences = splitSentences(document).map(termWeights);
    const windows = sentences.map((_, start) => new Set(sentences.slice(start, start + WINDOW).flatMap((s) => [...s.keys()])));
    found = { frequencies, length: terms.length, windows, sentences };
    analysed.set(document, found);
  }
  return found;
}

const idf = (count: number, documentFrequency: number) =>
  Math.log(1 + (count - documentFrequency + 0.5) / (documentFrequency + 0.5));

function passageScores(query: string, documents: readonly Analysed[]): number[] {
  const terms = queryTerms(query);
  const averageLength = documents.reduce((sum, d) => sum + d.length, 0) / Math.max(1, documents.length);
  const weights = terms.map((term) => idf(documents.length, documents.filter((d) => d.frequencies.has(term)).length));
  return documents.map((document) =>
    terms.reduce((score, term, i) => {
      const tf = document.frequencies.get(term) ?? 0;
      if (tf === 0) return score;
      return score + (weights[i]! * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * document.length) / Math.max(1, averageLength)));
    }, 0),
  );
}

function windowScores(query: string, documents: readonly Analysed[]): number[] {
  const asked = [...termWeights(query)];
  const sentences = documents.flatMap((d) => d.sentences);
  const weights = new Map(asked.map(([term, weight]) => [term, weight * idf(sentences.length, sentences.filter((s) => s.has(term)).length)]));
  return documents.map((document) =>
    Math.max(0, ...document.windows.map((window) => asked.reduce((sum, [term]) => sum + (window.has(term) ? weights.get(term)! : 0), 0))),
  );
}

const scaled = (scores: number[]) => {
  const best = Math.max(0, ...scores);
  return scores.map((score) => (best > 0 ? score / best : 0));
};

export const testRerankRule: RerankRule = (query, documents) => {
  const candidates = documents.map(analysis);
  const passage = scaled(passageScores(query, candidates));
  const window = scaled(windowScores(query, candidates));
  return passage.map((score, i) => score + window[i]!);
};
