/**
 * How every part of the system cuts text into words, so that the keyword index, the search, the local embedder, the
 * extractive answerer and the CJK line joining agree: NFKC, lowercase, then runs of Chinese characters or Japanese
 * kana (written without spaces; callers cut them into characters and bigrams) and runs of other letters and digits.
 */

/** The scripts written without spaces between words, as the inside of a regular expression character class. */
export const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';

const CJK_START = new RegExp(`^[${CJK}]`, 'u');
const TOKEN = new RegExp(`[${CJK}]+|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, 'gu');

/** The tokens of a text in order: CJK runs whole, other words one by one. */
export const textTokens = (text: string): string[] => text.normalize('NFKC').toLowerCase().match(TOKEN) ?? [];

/** Whether a token from textTokens is a CJK run. */
export const isCjkRun = (token: string): boolean => CJK_START.test(token);

/** The classic English stopword list (Lucene/Snowball core): words too common to tell texts apart. */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  ('a about above after again against all am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each few for from further had has have having he her here hers ' +
    'herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on ' +
    'once only or other our ours ourselves out over own same she should so some such than that the their theirs them ' +
    'themselves then there these they this those through to too under until up very was we were what when where ' +
    'which while who whom why will with would you your yours yourself yourselves').split(' '),
);
