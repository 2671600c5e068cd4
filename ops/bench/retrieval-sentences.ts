/**
 * The strict hit's yardstick: a chunk that merely contains an answer string is a loose hit (for a quarter of the
 * SQuAD questions the string is in more than five chunks: "1990", "Denver"). A strict hit holds the answer inside
 * its source sentence: the sentence(s) of the context covering the answer's span at answer_start.
 * Sentences: ICU boundaries (Intl.Segmenter), joined again after initials and abbreviations ("U.S.", "Mr.", "p.m.")
 * that ICU takes for sentence ends.
 */

const ABBREVIATION_END =
  /(?:\b(?:[A-Za-z]\.){2,}|(?:^|[\s(])[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Mt|Ft|No|vs|Gen|Gov|Sen|Rep|Inc|Co|Corp|Ltd|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)\s*$/;

/** [start, end) of every sentence of `text`. */
export function sentenceBounds(text: string, locale: string): Array<[number, number]> {
  const bounds: Array<[number, number]> = [];
  for (const { index, segment } of new Intl.Segmenter(locale, { granularity: 'sentence' }).segment(text)) {
    const last = bounds.at(-1);
    if (last && ABBREVIATION_END.test(text.slice(last[0], last[1]))) last[1] = index + segment.length;
    else bounds.push([index, index + segment.length]);
  }
  return bounds;
}

/**
 * Where the answer really is: at answer_start when the text is there, else its occurrence nearest to it (CMRC has
 * a few offsets that are off; SQuAD's count code points, JS strings UTF-16 units). -1 when it is nowhere.
 */
export function locateAnswer(context: string, answer: string, answerStart: number): number {
  if (answer === '') return -1;
  if (context.startsWith(answer, answerStart)) return answerStart;
  let best = -1;
  for (let at = context.indexOf(answer); at >= 0; at = context.indexOf(answer, at + 1)) {
    if (best < 0 || Math.abs(at - answerStart) < Math.abs(best - answerStart)) best = at;
  }
  return best;
}

/** The sentence(s) covering the answer's span, trimmed; undefined when the answer is not in the context. */
export function sourceSentence(
  context: string,
  bounds: ReadonlyArray<readonly [number, number]>,
  answer: string,
  answerStart: number,
): string | undefined {
  const at = locateAnswer(context, answer, answerStart);
  if (at < 0) return undefined;
  const end = at + answer.length;
  const first = bounds.find(([, sentenceEnd]) => sentenceEnd > at);
  const last = bounds.find(([, sentenceEnd]) => sentenceEnd >= end);
  return context.slice(first?.[0] ?? 0, last?.[1] ?? context.length).trim();
}

/** Whitespace-insensitive: the upload path re-flows line breaks and trims paragraphs. */
export const normalizeSpace = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Whether a (normalised) chunk holds one of a question's (normalised) source sentences. */
export const holdsSource = (normalizedChunk: string, normalizedSources: readonly string[]): boolean =>
  normalizedSources.some((source) => normalizedChunk.includes(source));
