/**
 * The parse limits a deployment starts from. ops/config names them PARSE_* and DOCX_MAX_ENTRY_BYTES and takes its
 * defaults from here, so the parser and the configuration cannot disagree about what "unset" means.
 */
import type { ParseLimits } from './types.ts';

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  timeoutMs: 60_000,
  memoryMb: 512,
  maxPages: 2000,
  maxChars: 5_000_000,
  maxZipEntryBytes: 64 * 1024 * 1024,
};
