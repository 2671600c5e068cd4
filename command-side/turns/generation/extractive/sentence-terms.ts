/**
 * Terms a question and a sentence can share, with weights:
 * - English (space-separated scripts): NFKC, lowercase, Porter stems of the words that are not function or
 *   question words, weight 1;
 * - Chinese/Japanese: character bigrams within a run, weight 1, and single characters at a quarter weight (a shared
 *   character alone says little), minus question and function characters and bigrams ("什么", "的").
 * The same cut of text as the BM25 index (contracts/text-tokens.ts); the word lists here add the question words a
 * sentence never answers with.
 */
import { stemmer } from 'stemmer';
import { ENGLISH_STOPWORDS, isCjkRun, textTokens } from '../../../../contracts/text-tokens.ts';

// Question words and fillers: the question's frame, not its topic.
const FUNCTION_WORDS = new Set([...ENGLISH_STOPWORDS, ...'whose tell explain describe please know kind name many much'.split(' ')]);

const FUNCTION_CHARACTERS = new Set([...'的了是在和与及或吗呢吧啊么什哪谁怎何为请问之其这那个也都就而被把将对从以于着过得地']);
const FUNCTION_BIGRAMS = new Set([
  '什么', '哪些', '哪个', '哪里', '怎么', '怎样', '如何', '为何', '为什', '多少', '是否', '请问', '是什', '么样', '的是', '是哪',
]);

export const STRONG = 1;
const CHARACTER = 0.25;

/** term -> weight; English terms are prefixed w:, bigrams b:, characters c:. */
export function termWeights(text: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const token of textTokens(text)) {
    if (!isCjkRun(token)) {
      if (!FUNCTION_WORDS.has(token)) terms.set(`w:${stemmer(token)}`, STRONG);
      continue;
    }
    const chars = [...token];
    chars.forEach((char, i) => {
      if (!FUNCTION_CHARACTERS.has(char) && !terms.has(`c:${char}`)) terms.set(`c:${char}`, CHARACTER);
      const bigram = i + 1 < chars.length ? char + chars[i + 1] : undefined;
      if (bigram && !FUNCTION_BIGRAMS.has(bigram)) terms.set(`b:${bigram}`, STRONG);
    });
  }
  return terms;
}
