/**
 * The citation syntax the answers use, in one place: `[n]`, also written `[1, 2]` or `[1][2]` (Chinese commas
 * too). Parsed to record what an answer cites; stripped from earlier answers given back as history, where their
 * numbers point at passages of another turn and would mislead the model.
 */
const CITATION = /\[(\d+(?:\s*[,，、]\s*\d+)*)\]/g;

/** Passage numbers cited in the text, ascending, only those of the request's passages. */
export function citedPassageNumbers(text: string, known: ReadonlySet<number>): number[] {
  const cited = new Set<number>();
  for (const match of text.matchAll(CITATION)) {
    for (const part of match[1]!.split(/[,，、]/)) {
      const n = Number(part.trim());
      if (known.has(n)) cited.add(n);
    }
  }
  return [...cited].sort((a, b) => a - b);
}

export const withoutCitations = (text: string): string => text.replace(/[ \t]*\[\d+(?:\s*[,，、]\s*\d+)*\]/g, '');
