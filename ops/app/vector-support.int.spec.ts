import { afterAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../contracts/sql.ts';
import { createTestPglite, createTestPostgres, type TestDatabase } from '../testing/databases.ts';
import { lexicalOnlyWarning, probeVectorSupport } from './vector-support.ts';

describe('probing the search index database for pgvector', () => {
  const opened: Array<TestDatabase | Sql> = [];
  afterAll(async () => {
    await Promise.all(opened.map((db) => ('drop' in db ? db.drop() : db.close())));
  });

  it("this machine's Postgres 15 has none: missing, with the extension named and how to get it", async () => {
    const postgres = await createTestPostgres({ max: 1 });
    opened.push(postgres);
    const support = await probeVectorSupport(postgres.sql);
    expect(support).toEqual({ available: false, reason: expect.stringMatching(/no pgvector extension: install pgvector >= 0\.8/) });
    expect(support.available || support.reason).toMatch(/CREATE EXTENSION vector/);
  });

  it('PGlite has it; a database where it is installable but not created gets it created', async () => {
    const pglite = await createTestPglite();
    opened.push(pglite);
    expect(await probeVectorSupport(pglite)).toEqual({ available: true });
    await pglite.exec('DROP EXTENSION vector');
    expect(await probeVectorSupport(pglite)).toEqual({ available: true });
    expect(await pglite.query(`SELECT extname FROM pg_extension WHERE extname = 'vector'`)).toHaveLength(1);
  }, 60_000);

  it('warns by what the missing extension costs the configuration', () => {
    const missing = { available: false as const, reason: 'no pgvector here' };
    expect(lexicalOnlyWarning({ available: true }, 0.5)).toBeUndefined();
    expect(lexicalOnlyWarning(missing, 0.5)).toBe('search is lexical (BM25) only: the dense weight 0.5 is not applied because no pgvector here');
    expect(lexicalOnlyWarning(missing, 0)).toMatch(/^search is lexical \(BM25\) only, as configured; a dense weight above 0 would need pgvector: no pgvector here$/);
  });
});
