/** The fixture files kept in the repository (ops/testing/fixtures) and parse limits sized for tests. */
import { readFile } from 'node:fs/promises';
import { fixturePath } from '../../../../ops/testing/fixture-files.ts';
import type { ParseLimits } from '../types.ts';

export const readFixture = async (name: string): Promise<Uint8Array> =>
  new Uint8Array(await readFile(fixturePath(name)));

export const TEST_LIMITS: ParseLimits = {
  timeoutMs: 45_000,
  memoryMb: 256,
  maxPages: 500,
  maxChars: 2_000_000,
  maxZipEntryBytes: 16 * 1024 * 1024,
};
