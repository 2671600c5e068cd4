/**
 * Retrieval-quality regression on a slice of the bench data sets (2 SQuAD articles, 30 CMRC paragraphs), through
 * the product's chunker, chunks projector and search with the default weights (BM25 with the local embedder).
 * The full figures come from `npm run bench -- retrieval`; this guards against a change that breaks ranking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChunksProjector } from '../../projections/chunks/projector.ts';
import { createChunkSearch } from '../../query-side/search/search.ts';
import { searchSettings } from '../../query-side/search/search-options.ts';
import { loadConfig } from '../config/config.ts';
import type { Sql } from '../sql/types.ts';
import { createTestPglite } from '../testing/databases.ts';
import { loadCorpus, type BenchCorpus } from './retrieval-data.ts';
import { indexCorpus, measureQuality } from './retrieval-eval.ts';

const QUESTIONS_PER_SET = 120;
let sql: Sql;
let corpora: BenchCorpus[];

beforeAll(async () => {
  sql = await createTestPglite();
  corpora = [await loadCorpus('squad', 2), await loadCorpus('cmrc', 3)];
  const projector = createChunksProjector({ dimensions: 8 });
  for (const corpus of corpora) await indexCorpus(sql, projector, corpus, `kb-${corpus.name}`, undefined);
});

afterAll(async () => {
  await sql?.close();
});

describe('retrieval quality on a slice of SQuAD and CMRC', () => {
  // Measured on this slice: SQuAD hit@5 0.91, hit@1 0.69, MRR 0.79; CMRC 0.98, 0.87, 0.92. The first SQuAD article
  // (Super Bowl 50) asks many near-identical questions, hence its lower hit@1.
  it.each([
    ['squad', 0, { hitAt5: 0.88, hitAt1: 0.6, mrr: 0.75 }],
    ['cmrc', 1, { hitAt5: 0.93, hitAt1: 0.8, mrr: 0.85 }],
  ] as const)('%s: the answer is in the top 5 for nearly every question', async (_name, index, floor) => {
    const corpus = corpora[index]!;
    const { weights, bm25, candidates } = searchSettings(loadConfig({}), 'local');
    expect(weights.dense).toBe(0);
    const search = createChunkSearch({ sql, weights, bm25, candidates });
    const questions = corpus.questions.slice(0, QUESTIONS_PER_SET);
    const quality = await measureQuality(questions, async (question) =>
      (await search(`kb-${corpus.name}`, question, 10)).map((hit) => hit.text),
    );
    expect(quality.questions).toBe(QUESTIONS_PER_SET);
    expect(quality.hitAt5).toBeGreaterThanOrEqual(floor.hitAt5);
    expect(quality.hitAt1).toBeGreaterThanOrEqual(floor.hitAt1);
    expect(quality.mrr).toBeGreaterThanOrEqual(floor.mrr);
  });
});
