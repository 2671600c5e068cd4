/**
 * The language the extractive answer speaks: Chinese when the question is mostly Chinese characters, English
 * otherwise. Counted per word and per character, so "Debian 的安装步骤是什么" is Chinese and "What does 你好 mean?"
 * is English.
 */
import { CJK } from '../../../../contracts/text-tokens.ts';

export type AnswerLanguage = 'en' | 'zh';

const HAN = new RegExp(`[${CJK}]`, 'gu');
const WORD = new RegExp(`(?:(?![${CJK}])\\p{L})+`, 'gu');

export function questionLanguage(question: string): AnswerLanguage {
  const han = question.match(HAN)?.length ?? 0;
  const words = question.match(WORD)?.length ?? 0;
  return han > 0 && han >= words ? 'zh' : 'en';
}
