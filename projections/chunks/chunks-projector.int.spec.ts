import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../ops/sql/types.ts';
import { createTestPglite } from '../../ops/testing/databases.ts';
import { createChunksProjector } from './projector.ts';
import { asRecorded, documentLifecycle, projectDirectly, termHashVectors } from './test-events.ts';

const DIMENSIONS = 64;
const vectors = termHashVectors(DIMENSIONS);
const projector = createChunksProjector({ dimensions: DIMENSIONS });
const TEXTS = ['The boiler must be serviced every year.', 'Replace the boiler filter monthly.', '锅炉每年检修一次。'];

let sql: Sql;
const manual = (revision = 1, texts: readonly string[] = TEXTS) =>
  documentLifecycle({ documentId: 'doc-1', knowledgeBaseId: 'kb-1', name: 'manual.md', revision, texts }, vectors);

async function snapshot() {
  const out: Record<string, unknown[]> = {};
  for (const table of ['chunk_documents', 'chunks', 'chunk_vectors', 'chunk_postings', 'chunk_term_stats', 'chunk_corpus_stats']) {
    out[table] = await sql.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3`);
  }
  return out;
}

const count = async (query: string) => (await sql.query<{ n: number }>(query))[0]!.n;

beforeAll(async () => {
  sql = await createTestPglite();
  await projectDirectly(sql, projector, asRecorded(await manual()));
});

afterAll(async () => {
  await sql?.close();
});

describe('chunks projector', () => {
  it('stores every chunk with its text, vector, postings and corpus statistics', async () => {
    const rows = await sql.query(
      `SELECT c.chunk_id, document_name, revision, text, v.model AS embedding_model
         FROM chunks c LEFT JOIN chunk_vectors v USING (chunk_id) ORDER BY chunk_index`,
    );
    expect(rows).toEqual(
      TEXTS.map((text, index) => ({
        chunk_id: `doc-1:1:${index}`,
        document_name: 'manual.md',
        revision: 1,
        text,
        embedding_model: vectors.model,
      })),
    );
    expect(await sql.query(`SELECT term, df FROM chunk_term_stats WHERE term IN ('boiler', '锅炉', 'the')`)).toEqual(
      expect.arrayContaining([
        { term: 'boiler', df: 2 },
        { term: '锅炉', df: 1 },
      ]),
    );
    expect(await sql.query(`SELECT chunk_count FROM chunk_corpus_stats`)).toEqual([{ chunk_count: 3 }]);
    const stored = await sql.query<{ v: string }>(`SELECT embedding::text AS v FROM chunk_vectors WHERE chunk_id = 'doc-1:1:0'`);
    const [expected] = await vectors.embed([TEXTS[0]!]);
    const parsed = JSON.parse(stored[0]!.v) as number[];
    parsed.forEach((value, i) => expect(value).toBeCloseTo(expected![i]!, 6));
  });

  it('changes nothing when the same events are projected again', async () => {
    const before = await snapshot();
    await projectDirectly(sql, projector, asRecorded(await manual()));
    expect(await snapshot()).toEqual(before);
  });

  it('drops the old revision on reindex and everything on delete, statistics included', async () => {
    await projectDirectly(
      sql,
      projector,
      asRecorded([
        { type: 'DocumentReindexRequested', data: { documentId: 'doc-1', revision: 2, requestedBy: 'u', cause: 'reindex' } },
      ]),
    );
    expect(await count(`SELECT count(*)::int AS n FROM chunks`)).toBe(0);
    await projectDirectly(sql, projector, asRecorded(await manual(2, [TEXTS[0]!])));
    expect(await sql.query(`SELECT chunk_id FROM chunks`)).toEqual([{ chunk_id: 'doc-1:2:0' }]);
    // Vectors of the superseded revision arriving late are ignored.
    await projectDirectly(sql, projector, asRecorded((await manual(1)).filter((e) => e.type === 'ChunksEmbedded')));
    expect(await count(`SELECT count(*)::int AS n FROM chunks`)).toBe(1);
    expect(await sql.query(`SELECT chunk_id FROM chunk_vectors`)).toEqual([{ chunk_id: 'doc-1:2:0' }]);
    // Postings of the superseded revision are gone: every posting left belongs to the live chunk.
    expect(await count(`SELECT count(*)::int AS n FROM chunk_postings WHERE chunk_key NOT IN (SELECT chunk_key FROM chunks)`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM chunk_postings`)).toBeGreaterThan(0);
    expect(await sql.query(`SELECT df FROM chunk_term_stats WHERE term = 'boiler'`)).toEqual([{ df: 1 }]);

    await projectDirectly(
      sql,
      projector,
      asRecorded([{ type: 'DocumentDeleted', data: { documentId: 'doc-1', knowledgeBaseId: 'kb-1', revision: 2, deletedBy: 'u' } }]),
    );
    expect(await count(`SELECT count(*)::int AS n FROM chunks`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM chunk_vectors`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM chunk_postings`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM chunk_term_stats`)).toBe(0);
    expect(await sql.query(`SELECT chunk_count, term_total FROM chunk_corpus_stats`)).toEqual([
      { chunk_count: 0, term_total: 0 },
    ]);
    // A late chunk event of the deleted revision does not bring the document back.
    await projectDirectly(sql, projector, asRecorded(await manual(2, [TEXTS[0]!])));
    expect(await count(`SELECT count(*)::int AS n FROM chunks`)).toBe(0);
  });
});
