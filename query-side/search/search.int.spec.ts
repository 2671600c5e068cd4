import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../contracts/sql.ts';
import { createTestPglite } from '../../ops/testing/databases.ts';
import { createChunksProjector } from '../../projections/chunks/projector.ts';
import {
  asRecorded,
  documentLifecycle,
  projectDirectly,
  termHashVectors,
} from '../../projections/chunks/test-events.ts';
import { createChunkSearch } from './search.ts';
import type { SearchWeights } from './fusion.ts';

const DIMENSIONS = 128;
const vectors = termHashVectors(DIMENSIONS);
const projector = createChunksProjector({ dimensions: DIMENSIONS });

const ENGLISH = [
  'The boiler must be serviced every twelve months by a certified technician.',
  'Replace the air filter when the warning light on the front panel turns orange.',
  'Our refund policy allows returns within thirty days of purchase with a receipt.',
];
const CHINESE = [
  '锅炉每十二个月必须由持证技术人员检修一次。',
  '当前面板上的警告灯变成橙色时，请更换空气过滤器。',
  '我们的退款政策允许在购买后三十天内凭收据退货。',
];

let sql: Sql;
const search = (weights: SearchWeights = { lexical: 1, dense: 0 }) =>
  createChunkSearch({ sql, embedder: vectors, weights, bm25: { k1: 1.2, b: 0.75 }, candidates: 20 });

beforeAll(async () => {
  sql = await createTestPglite();
  const documents = [
    { documentId: 'doc-en', knowledgeBaseId: 'kb-1', name: 'manual.md', texts: ENGLISH },
    { documentId: 'doc-zh', knowledgeBaseId: 'kb-1', name: '手册.txt', texts: CHINESE },
    { documentId: 'doc-other', knowledgeBaseId: 'kb-2', name: 'other.md', texts: ENGLISH },
  ];
  const events = [];
  for (const document of documents) events.push(...(await documentLifecycle(document, vectors)));
  await projectDirectly(sql, projector, asRecorded(events));
});

afterAll(async () => {
  await sql?.close();
});

describe('search', () => {
  it('ranks the right chunk first for English (stemmed) and Chinese (character n-grams) questions', async () => {
    const english = await search()('kb-1', 'How often should boilers be serviced?', 3);
    expect(english[0]).toEqual({
      chunkId: 'doc-en:1:0',
      documentId: 'doc-en',
      revision: 1,
      documentName: 'manual.md',
      headingPath: [],
      text: ENGLISH[0],
      score: 1,
    });
    const chinese = await search()('kb-1', '警告灯变成橙色怎么办', 3);
    expect(chinese[0]).toMatchObject({ chunkId: 'doc-zh:1:1', documentName: '手册.txt' });
    expect(chinese.every((hit, i) => i === 0 || hit.score <= chinese[i - 1]!.score)).toBe(true);
  });

  it('returns chunks of the asked knowledge base only, at most `limit`', async () => {
    const hits = await search()('kb-1', 'refund receipt 退款 boiler filter', 10);
    expect(new Set(hits.map((hit) => hit.documentId))).toEqual(new Set(['doc-en', 'doc-zh']));
    expect(await search()('kb-1', 'refund receipt 退款 boiler filter', 2)).toHaveLength(2);
    expect((await search()('kb-2', 'refund', 5)).map((hit) => hit.documentId)).toEqual(['doc-other']);
    expect(await search()('kb-unknown', 'refund', 5)).toEqual([]);
  });

  it('uses the dense ranking when it has weight, alone or fused', async () => {
    expect((await search({ lexical: 1, dense: 0.5 })('kb-1', 'refund policy for returns', 1))[0]).toMatchObject({
      chunkId: 'doc-en:1:2',
      revision: 1,
    });
    expect((await search({ lexical: 0, dense: 1 })('kb-1', '退款政策 收据', 1))[0]?.chunkId).toBe('doc-zh:1:2');
  });

  it('answers nothing for an empty or stopword-only query and rejects bad limits', async () => {
    expect(await search()('kb-1', '   ', 5)).toEqual([]);
    expect(await search()('kb-1', 'the of and', 5)).toEqual([]);
    await expect(search()('kb-1', 'boiler', 0)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(search()('kb-1', 'boiler', 51)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('no longer finds a deleted document, at once', async () => {
    expect((await search()('kb-1', 'boiler serviced', 5)).length).toBeGreaterThan(0);
    await projectDirectly(
      sql,
      projector,
      asRecorded([{ type: 'DocumentDeleted', data: { documentId: 'doc-en', knowledgeBaseId: 'kb-1', revision: 1, deletedBy: 'u' } }]),
    );
    expect(await search()('kb-1', 'boiler serviced', 5)).toEqual([]);
    expect(await search({ lexical: 1, dense: 1 })('kb-1', 'boiler serviced', 5)).not.toContainEqual(
      expect.objectContaining({ documentId: 'doc-en' }),
    );
    expect((await search()('kb-2', 'boiler serviced', 5))[0]?.documentId).toBe('doc-other');
  });
});

describe('search over an index without vectors (storeVectors false: the dense ranking has no weight)', () => {
  let bare: Sql;

  beforeAll(async () => {
    bare = await createTestPglite();
    const withoutVectors = createChunksProjector({ dimensions: DIMENSIONS, storeVectors: false });
    const manual = {
      documentId: 'doc-en',
      knowledgeBaseId: 'kb-1',
      name: 'manual.md',
      texts: ENGLISH,
      headingPaths: [['Heating', 'Boiler care'], ['Heating', 'Filters'], ['Returns']],
    };
    await projectDirectly(bare, withoutVectors, asRecorded(await documentLifecycle(manual, vectors)));
  });

  afterAll(async () => {
    await bare?.close();
  });

  it('ranks by BM25, the heading path included, and shows each hit its heading path', async () => {
    expect(await bare.query(`SELECT count(*)::int AS n FROM chunk_vectors`)).toEqual([{ n: 0 }]);
    const weights = { lexical: 1, dense: 0 };
    const bm25 = createChunkSearch({ sql: bare, embedder: vectors, weights, bm25: { k1: 1.2, b: 0.75 }, candidates: 20 });
    expect(await bm25('kb-1', 'How often should boilers be serviced?', 1)).toEqual([
      expect.objectContaining({ chunkId: 'doc-en:1:0', headingPath: ['Heating', 'Boiler care'], text: ENGLISH[0] }),
    ]);
    // "heating" is in no text: only the heading paths of the first two chunks have it.
    expect((await bm25('kb-1', 'heating', 5)).map((hit) => hit.chunkId).sort()).toEqual(['doc-en:1:0', 'doc-en:1:1']);
    expect((await bm25('kb-1', 'returns', 1))[0]).toMatchObject({ chunkId: 'doc-en:1:2', headingPath: ['Returns'] });
  });
});
