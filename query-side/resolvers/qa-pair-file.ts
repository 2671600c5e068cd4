/**
 * A question-and-answer pair as a Markdown file: the question is its heading (indexed with double weight, and the
 * heading path every chunk of it shows), the answer its body. Its name says what it is, so a citation reads
 * "Q&A: How do I …". The pipeline parses, chunks and embeds it like any document; a short answer is one chunk.
 */
import { DomainError } from '../../contracts/errors.ts';

export const MAX_QA_QUESTION_CHARS = 500;
export const MAX_QA_ANSWER_CHARS = 8000;

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export function qaPairFile(question: string, answer: string): { name: string; bytes: Uint8Array } {
  const q = oneLine(question.normalize('NFC'));
  const a = answer.normalize('NFC').trim();
  if (q.length === 0 || q.length > MAX_QA_QUESTION_CHARS) {
    throw new DomainError('BAD_USER_INPUT', `the question must have 1 to ${MAX_QA_QUESTION_CHARS} characters`);
  }
  if (a.length === 0 || a.length > MAX_QA_ANSWER_CHARS) {
    throw new DomainError('BAD_USER_INPUT', `the answer must have 1 to ${MAX_QA_ANSWER_CHARS} characters`);
  }
  // A heading line cannot hold Markdown that would end it early or make it something else.
  const heading = q.replace(/^#+\s*/, '').replace(/[\\`*_[\]<>#]/g, (c) => `\\${c}`);
  return { name: `Q&A: ${q.slice(0, 120)}.md`, bytes: new TextEncoder().encode(`# ${heading}\n\n${a}\n`) };
}
