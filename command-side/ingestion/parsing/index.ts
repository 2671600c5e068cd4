/** Public API of document parsing: recognise a file's type from its bytes, parse it in a sandbox into blocks. */
export { detectMediaType } from './media-type.ts';
export { extractChunks, parseDocument, type ParseOptions } from './parse-document.ts';
export type { ExtractedDocument } from './extracted-document.ts';
export { closeParseSandbox, warmParseSandbox } from './sandbox-process.ts';
export { DEFAULT_PARSE_LIMITS } from './limits.ts';
export {
  MEDIA_TYPES,
  PARSE_FAILURE_REASONS,
  ParseFailure,
  isParseFailure,
  type Block,
  type BlockKind,
  type DetectedMediaType,
  type MediaType,
  type ParseFailureReason,
  type ParseLimits,
  type ParsedDocument,
  type TextEncoding,
} from './types.ts';
