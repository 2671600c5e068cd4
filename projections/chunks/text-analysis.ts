/**
 * Index terms for BM25, shared by the chunks projection (what a chunk contains) and the search (what a query asks),
 * so both sides always cut text the same way. Postgres full-text search is not used: ts_rank is not BM25 and its
 * parsers do not split Chinese.
 * - Space-separated scripts: NFKC, lowercase, English stopwords dropped, Porter stemming ("running" -> "run").
 * - Chinese/Japanese: every character and every pair of adjacent characters within a run. Character bigrams match a
 *   word segmenter in retrieval quality here, and Intl.Segmenter('zh') has a cliff on long inputs.
 */
import { stemmer } from 'stemmer';
import { ENGLISH_STOPWORDS, isCjkRun, textTokens } from '../../contracts/text-tokens.ts';

/** Terms of a text, in order, with repetitions (term frequency = occurrences). */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const token of textTokens(text)) {
    if (isCjkRun(token)) {
      const chars = [...token];
      for (let i = 0; i < chars.length; i++) {
        terms.push(chars[i]!);
        if (i + 1 < chars.length) terms.push(chars[i]! + chars[i + 1]!);
      }
    } else if (!ENGLISH_STOPWORDS.has(token)) {
      terms.push(stemmer(token));
    }
  }
  return terms;
}

/** term -> occurrences, and the total number of terms (the BM25 document length). */
export function termFrequencies(text: string): { frequencies: Map<string, number>; length: number } {
  const terms = analyze(text);
  const frequencies = new Map<string, number>();
  for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
  return { frequencies, length: terms.length };
}

/** Distinct query terms, first occurrence first. */
export const queryTerms = (query: string): string[] => [...new Set(analyze(query))];
