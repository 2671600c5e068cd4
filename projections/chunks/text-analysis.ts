/**
 * Index terms for BM25, shared by the chunks projection (what a chunk contains) and the search (what a query asks),
 * so both sides always cut text the same way. Postgres full-text search is not used: ts_rank is not BM25 and its
 * parsers do not split Chinese.
 * - Space-separated scripts: NFKC, lowercase, English stopwords dropped, Porter stemming ("running" -> "run").
 * - Chinese/Japanese: every character and every pair of adjacent characters within a run. Character bigrams match a
 *   word segmenter in retrieval quality here, and Intl.Segmenter('zh') has a cliff on long inputs.
 */
import { stemmer } from 'stemmer';

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
const CJK_RUN = new RegExp(`^[${CJK}]`, 'u');
const TOKEN = new RegExp(`[${CJK}]+|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, 'gu');

// The classic English stopword list (Lucene/Snowball core): words too common to tell chunks apart.
const STOPWORDS = new Set(
  ('a about above after again against all am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each few for from further had has have having he her here hers ' +
    'herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on ' +
    'once only or other our ours ourselves out over own same she should so some such than that the their theirs them ' +
    'themselves then there these they this those through to too under until up very was we were what when where ' +
    'which while who whom why will with would you your yours yourself yourselves').split(' '),
);

/** Terms of a text, in order, with repetitions (term frequency = occurrences). */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const token of text.normalize('NFKC').toLowerCase().match(TOKEN) ?? []) {
    if (CJK_RUN.test(token)) {
      const chars = [...token];
      for (let i = 0; i < chars.length; i++) {
        terms.push(chars[i]!);
        if (i + 1 < chars.length) terms.push(chars[i]! + chars[i + 1]!);
      }
    } else if (!STOPWORDS.has(token)) {
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
