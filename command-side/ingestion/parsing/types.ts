/**
 * The shapes that leave the parser. Everything here is plain JSON (it is recorded in events), and a failure carries
 * a reason written for the person who uploaded the file, and the code a program acts on.
 */
import type { DocumentFailureCode } from '../../../contracts/document-failures.ts';

export const MEDIA_TYPES = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/markdown',
  'text/plain',
  'text/html',
] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** Text encodings we decode; recognised from the bytes (BOM, UTF-8 validity, GB18030 validity). */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface DetectedMediaType {
  mediaType: MediaType;
  /** Present for the text types. */
  encoding?: TextEncoding;
}

export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'table-row' | 'code';

export interface Block {
  kind: BlockKind;
  text: string;
  /** Heading level 1..6, or nesting depth of a list item (1 = top level). */
  level?: number;
  /** 1-based page number, for paged formats (PDF). */
  page?: number;
}

export interface ParsedDocument {
  mediaType: MediaType;
  blocks: Block[];
  /** Number of pages for PDF. */
  pageCount?: number;
  /** Total characters of block text (UTF-16 code units), as checked against the character limit. */
  charCount: number;
}

export interface ParseLimits {
  /** Wall-clock limit of one parse, child start-up included. */
  timeoutMs: number;
  /** Resident memory cap of the parsing process, in MiB. */
  memoryMb: number;
  /** Largest number of PDF pages accepted. */
  maxPages: number;
  /** Largest number of characters of extracted text accepted. */
  maxChars: number;
  /** Largest declared uncompressed size of one DOCX zip entry, in bytes. */
  maxZipEntryBytes: number;
}

export const PARSE_FAILURE_REASONS = [
  'file is empty',
  'file is corrupt',
  'PDF is encrypted',
  'no text layer: scanned PDF',
  'DOCX zip entry too large',
  'DOCX contains XML entity declarations',
  'too many pages',
  'text exceeds the character limit',
  'parsing took too long',
  'parsing needed too much memory',
  'unsupported file type',
  'parser stopped unexpectedly',
  'splitting the text into chunks took too long',
  'the text could not be split into chunks',
] as const;
export type ParseFailureReason = (typeof PARSE_FAILURE_REASONS)[number];

/** The code each reason is recorded with (DocumentFailed.code). */
const PARSE_FAILURE_CODES: Readonly<Record<ParseFailureReason, DocumentFailureCode>> = {
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
};

/** Reasons that arise after the text was extracted, while the sandbox chunked it. */
const CHUNKING_REASONS: ReadonlySet<ParseFailureReason> = new Set([
  'splitting the text into chunks took too long',
  'the text could not be split into chunks',
]);

/** A file of a known type that cannot be turned into text. `message` is the reason, fit to show to a person. */
export class ParseFailure extends Error {
  readonly reason: ParseFailureReason;

  constructor(reason: ParseFailureReason, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'ParseFailure';
    this.reason = reason;
  }

  /** What went wrong, for a program (DocumentFailed.code). */
  get code(): DocumentFailureCode {
    return PARSE_FAILURE_CODES[this.reason];
  }

  /** The pipeline step the failure belongs to. */
  get step(): 'parse' | 'chunk' {
    return CHUNKING_REASONS.has(this.reason) ? 'chunk' : 'parse';
  }
}

export const isParseFailure = (error: unknown): error is ParseFailure => error instanceof ParseFailure;
