/**
 * Sentences of a chunk, for quoting. Ends: `. ! ?` before a space (not after an initial or a common abbreviation),
 * Chinese `。！？；` with or without a space, and line breaks: a chunk's blocks (headings, list items, table rows)
 * are joined by single newlines, and a heading glued to the sentence after it would be quoted as one sentence.
 * Chunking cuts at paragraph breaks only, so its splitter does not fit here.
 */
const END = /[.!?]+["'”’)\]]*\s+|[。！？；!?]+[”’」』）)\]"']*\s*|\n+/g;

/** Words after which a full stop does not end a sentence: initials ("J. R. R.", "U.S.") and abbreviations. */
const INITIAL = /(?:^|[\s(.])[A-Z]\.$/;
const ABBREVIATION = /(?:^|[\s(])(?:Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|vs|etc|e\.g|i\.e|cf|Fig|Vol|approx)\.$/i;

const tidy = (sentence: string) => sentence.replace(/\s+/g, ' ').trim();

export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(END)) {
    const end = match.index + match[0].length;
    const candidate = text.slice(start, match.index + match[0].trimEnd().length);
    const abbreviated = INITIAL.test(candidate) || ABBREVIATION.test(candidate);
    if (abbreviated && match[0].startsWith('.') && !match[0].includes('\n')) continue;
    sentences.push(tidy(text.slice(start, end)));
    start = end;
  }
  sentences.push(tidy(text.slice(start)));
  return sentences.filter((sentence) => /[\p{L}\p{N}]/u.test(sentence));
}
