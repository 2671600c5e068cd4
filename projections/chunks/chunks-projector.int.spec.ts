import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../contracts/sql.ts';
import { createTestPglite } from '../../ops/testing/databases.ts';
import { HEADING_WEIGHT } from './chunk-terms.ts';
import { CHUNKS_PER_PAGE } from './drop-chunks.ts';
import { createChunksProjector } from './projector.ts';
import { asRecorded, documentLifecycle, projectDirectly, termHashVectors } from './test-events.ts';
import { analyze } from './text-analysis.ts';

const DIMENSIONS = 64;
const vectors = termHashVectors(DIMENSIONS);
const projector = createChunksProjector({ dimensions: DIMENSIONS });
const TEXTS = ['The boiler must be serviced every year.', 'Replace the boiler filter monthly.', '锅炉每年检修一次。'];
// Heading words that are in no text: deleting must find their postings too, from the stored heading path.
const HEADINGS = [['Heating manual', 'Yearly service'], ['Heating manual', 'Pump maintenance'], ['供暖手册', '年度保养']];

let sql: Sql;
const manual = (revision = 1, texts: readonly string[] = TEXTS) =>
  documentLifecycle(
    { documentId: 'doc-1', knowledgeBaseId: 'kb-1', name: 'manual.md', revision, texts, headingPaths: HEADINGS },
    vectors,
  );

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

  it('indexes the heading path with the chunk, each heading term weighted HEADING_WEIGHT times', async () => {
    const postings = await sql.query<{ term: string; tf: number; term_count: number }>(
      `SELECT term, tf, p.term_count FROM chunk_postings p JOIN chunks c USING (chunk_key) WHERE c.chunk_id = 'doc-1:1:1'`,
    );
    const tf = Object.fromEntries(postings.map((p) => [p.term, p.tf]));
    expect(tf).toMatchObject({ pump: HEADING_WEIGHT, mainten: HEADING_WEIGHT, heat: HEADING_WEIGHT, boiler: 1 });
    const length = analyze(TEXTS[1]!).length + HEADING_WEIGHT * analyze(HEADINGS[1]!.join(' ')).length;
    expect(new Set(postings.map((p) => p.term_count))).toEqual(new Set([length]));
    expect(await sql.query(`SELECT heading_path FROM chunks WHERE chunk_id = 'doc-1:1:2'`)).toEqual([
      { heading_path: HEADINGS[2] },
    ]);
    expect(await sql.query(`SELECT term, df FROM chunk_term_stats WHERE term IN ('heat', '保养') ORDER BY df DESC`)).toEqual([
      { term: 'heat', df: 2 },
      { term: '保养', df: 1 },
    ]);
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

describe('chunks projector without vectors (the search gives them no weight)', () => {
  it('stores no vector rows, keeps everything else, and has a version of its own', async () => {
    const withoutVectors = createChunksProjector({ dimensions: DIMENSIONS, storeVectors: false });
    expect(withoutVectors.version).not.toBe(projector.version);
    const own = await createTestPglite();
    try {
      const events = asRecorded(await manual());
      expect(events.some((event) => event.type === 'ChunksEmbedded')).toBe(true);
      await projectDirectly(own, withoutVectors, events);
      expect(await own.query(`SELECT count(*)::int AS n FROM chunk_vectors`)).toEqual([{ n: 0 }]);
      expect(await own.query(`SELECT chunk_id FROM chunks ORDER BY chunk_index`)).toEqual(
        TEXTS.map((_, index) => ({ chunk_id: `doc-1:1:${index}` })),
      );
      expect(await own.query(`SELECT df FROM chunk_term_stats WHERE term = 'boiler'`)).toEqual([{ df: 2 }]);
    } finally {
      await own.close();
    }
  });
});

describe('chunks projector on a document of more chunks than one delete page', () => {
  it('drops every chunk, posting and statistic, page by page', async () => {
    const own = await createTestPglite();
    try {
      const texts = Array.from({ length: CHUNKS_PER_PAGE * 2 + 7 }, (_, i) => `Step ${i}: check valve ${i % 13} and seal ${i % 7}.`);
      const headingPaths = texts.map((_, i) => ['Plant manual', `Section ${Math.floor(i / 50)}`]);
      const big = { documentId: 'big', knowledgeBaseId: 'kb-1', name: 'plant.md', texts, headingPaths };
      const other = { documentId: 'other', knowledgeBaseId: 'kb-1', name: 'other.md', texts: TEXTS, headingPaths: HEADINGS };
      await projectDirectly(own, projector, asRecorded([...(await documentLifecycle(other)), ...(await documentLifecycle(big))]));
      const before = await own.query(`SELECT chunk_count FROM chunk_corpus_stats`);
      expect(before).toEqual([{ chunk_count: texts.length + TEXTS.length }]);
      await projectDirectly(
        own,
        projector,
        asRecorded([{ type: 'DocumentDeleted', data: { documentId: 'big', knowledgeBaseId: 'kb-1', revision: 1, deletedBy: 'u' } }]),
      );
      // What is left is exactly what the other document alone gives.
      const alone = await createTestPglite();
      try {
        await projectDirectly(alone, projector, asRecorded(await documentLifecycle(other)));
        for (const query of [
          `SELECT chunk_id FROM chunks ORDER BY 1`,
          `SELECT term, df FROM chunk_term_stats ORDER BY 1`,
          `SELECT chunk_count, term_total FROM chunk_corpus_stats`,
          `SELECT p.term, c.chunk_id, p.tf, p.term_count FROM chunk_postings p JOIN chunks c USING (chunk_key) ORDER BY 1, 2`,
        ]) {
          expect(await own.query(query), query).toEqual(await alone.query(query));
        }
        expect(await own.query(`SELECT count(*)::int AS n FROM chunk_postings`)).toEqual(
          await alone.query(`SELECT count(*)::int AS n FROM chunk_postings`),
        );
      } finally {
        await alone.close();
      }
    } finally {
      await own.close();
    }
  }, 120_000);
});
