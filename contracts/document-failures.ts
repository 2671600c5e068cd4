/**
 * Why a document failed, as a code a program can act on: DocumentFailed's `code` since schema version 2, and the
 * upcaster that reads version-1 events, which had only `reason`, an English sentence for a person.
 *
 * Why the shape changed: everything that had to act on a failure read that sentence. The web app matches it with
 * regular expressions to say it in Chinese (ui/src/composables/useDocuments.ts), so rewording a reason in the
 * pipeline silently broke the translation, and an old log keeps its old wording for ever. Version 2 records the
 * code beside the sentence, decided where the failure is known.
 *
 * The upcaster derives the code from the sentences version 1 wrote: a closed list, copied here as the pipeline wrote
 * them. The table is history: it never changes when today's wording does. A sentence it does not know is UNKNOWN.
 */
import type { Upcaster } from './upcasters.ts';

export const DOCUMENT_FAILURE_CODES = [
  'FILE_EMPTY',
  'FILE_CORRUPT',
  'PDF_ENCRYPTED',
  'SCANNED_PDF',
  'DOCX_ENTRY_TOO_LARGE',
  'DOCX_ENTITIES',
  'TOO_MANY_PAGES',
  'TOO_MUCH_TEXT',
  'PARSE_TIMEOUT',
  'PARSE_MEMORY',
  'UNSUPPORTED_TYPE',
  'PARSER_CRASHED',
  'CHUNK_TIMEOUT',
  'CHUNKING_FAILED',
  'NO_TEXT',
  'FILE_MISSING',
  'NOT_INDEXED',
  /** The file stopped the worker several times while being parsed. */
  'MALFORMED',
  /** The parser failed in a way it did not name. */
  'UNREADABLE',
  'EMBEDDING_FAILED',
  /** The worker gave the document up on an error of its own. */
  'PROCESSING_STOPPED',
  /** Only from a version-1 reason the upcaster does not know. */
  'UNKNOWN',
] as const;
export type DocumentFailureCode = (typeof DOCUMENT_FAILURE_CODES)[number];

/** Version 1's exact reasons (as of December 2026). */
const V1_REASONS: Readonly<Record<string, DocumentFailureCode>> = {
  'file is empty': 'FILE_EMPTY',
  'file is corrupt': 'FILE_CORRUPT',
  'PDF is encrypted': 'PDF_ENCRYPTED',
  'no text layer: scanned PDF': 'SCANNED_PDF',
  'DOCX zip entry too large': 'DOCX_ENTRY_TOO_LARGE',
  'DOCX contains XML entity declarations': 'DOCX_ENTITIES',
  'too many pages': 'TOO_MANY_PAGES',
  'text exceeds the character limit': 'TOO_MUCH_TEXT',
  'parsing took too long': 'PARSE_TIMEOUT',
  'parsing needed too much memory': 'PARSE_MEMORY',
  'unsupported file type': 'UNSUPPORTED_TYPE',
  'parser stopped unexpectedly': 'PARSER_CRASHED',
  'splitting the text into chunks took too long': 'CHUNK_TIMEOUT',
  'the text could not be split into chunks': 'CHUNKING_FAILED',
  'the document contains no text to index': 'NO_TEXT',
  'the uploaded file is missing from storage': 'FILE_MISSING',
  'every chunk is embedded but the document was not indexed': 'NOT_INDEXED',
};

/** Version 1's reasons with a variable part (a count, a model, an error message). */
const V1_PATTERNS: ReadonlyArray<readonly [RegExp, DocumentFailureCode]> = [
  [/^parsing stopped the worker \d+ times/, 'MALFORMED'],
  [/^file could not be read: /, 'UNREADABLE'],
  [/^the embedding model \S+ failed: /, 'EMBEDDING_FAILED'],
  [/^processing stopped: /, 'PROCESSING_STOPPED'],
];

export function failureCodeOfV1Reason(reason: string): DocumentFailureCode {
  if (Object.hasOwn(V1_REASONS, reason)) return V1_REASONS[reason]!;
  return V1_PATTERNS.find(([pattern]) => pattern.test(reason))?.[1] ?? 'UNKNOWN';
}

/** DocumentFailed 1 -> 2: the code, from the reason. A code already there (a test's hand-made event) is kept. */
export const documentFailedAddsCode: Upcaster = {
  from: 1,
  upcast: (data) => ({ code: typeof data.reason === 'string' ? failureCodeOfV1Reason(data.reason) : 'UNKNOWN', ...data }),
};
