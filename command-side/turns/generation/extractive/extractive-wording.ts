/**
 * What the extractive answer says, in the question's language: first that it is extractive (no model wrote it),
 * then the quoted sentences each with its [n]; or, with nothing relevant, only that.
 */
import type { AnswerLanguage } from './question-language.ts';
import type { QuotedSentence } from './rank-sentences.ts';

const WORDING: Record<AnswerLanguage, { lead: string; nothing: string }> = {
  en: {
    lead: 'Extractive answer (no language model configured), quoting the most relevant passages of the knowledge base:',
    nothing:
      'Extractive answer (no language model configured): the knowledge base holds no passage relevant to this question.',
  },
  zh: {
    lead: '抽取式回答（未配置语言模型），摘自知识库中最相关的段落：',
    nothing: '抽取式回答（未配置语言模型）：知识库中没有与这个问题相关的内容。',
  },
};

/** A very long sentence (a table row, a run-on line) is quoted up to here, cut at a space when there is one. */
const MAX_QUOTE_CHARS = 400;

function quote(sentence: string): string {
  const points = Array.from(sentence);
  if (points.length <= MAX_QUOTE_CHARS) return sentence;
  const head = points.slice(0, MAX_QUOTE_CHARS).join('');
  const space = head.lastIndexOf(' ');
  return `${space > MAX_QUOTE_CHARS / 2 ? head.slice(0, space) : head} …`;
}

export function extractiveAnswer(language: AnswerLanguage, sentences: readonly QuotedSentence[]): string {
  const wording = WORDING[language];
  if (sentences.length === 0) return wording.nothing;
  // Chinese puts no space before a bracket; English does.
  const gap = language === 'zh' ? '' : ' ';
  return [wording.lead, ...sentences.map((sentence) => `${quote(sentence.text)}${gap}[${sentence.passage}]`)].join('\n');
}
