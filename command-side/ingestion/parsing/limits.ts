/** Parse limits from the configuration (ops/config names them PARSE_*), passed down rather than read here. */
import type { ParseLimits } from './types.ts';

export interface ParseLimitSettings {
  PARSE_TIMEOUT_MS: number;
  PARSE_MEMORY_MB: number;
  PARSE_MAX_PAGES: number;
  PARSE_MAX_CHARS: number;
  DOCX_MAX_ENTRY_BYTES: number;
}

export const parseLimitsFromConfig = (config: ParseLimitSettings): ParseLimits => ({
  timeoutMs: config.PARSE_TIMEOUT_MS,
  memoryMb: config.PARSE_MEMORY_MB,
  maxPages: config.PARSE_MAX_PAGES,
  maxChars: config.PARSE_MAX_CHARS,
  maxZipEntryBytes: config.DOCX_MAX_ENTRY_BYTES,
});
