/** The shared fixture files (../shared/fixtures beside the clone) and parse limits sized for tests. */
import { readFile } from 'node:fs/promises';
import type { ParseLimits } from '../types.ts';

const FIXTURES = new URL('../../../../../shared/fixtures/', import.meta.url);

export const readFixture = async (name: string): Promise<Uint8Array> =>
  new Uint8Array(await readFile(new URL(name, FIXTURES)));

export const TEST_LIMITS: ParseLimits = {
  timeoutMs: 45_000,
  memoryMb: 256,
  maxPages: 500,
  maxChars: 2_000_000,
  maxZipEntryBytes: 16 * 1024 * 1024,
};
