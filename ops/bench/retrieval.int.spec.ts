/**
 * Retrieval-quality regression on a slice of the bench data sets (2 SQuAD articles, 30 CMRC paragraphs), through
 * the product's chunker, chunks projector and search:
 * - offline defaults (local embedder: dense weight 0, i.e. BM25 alone);
 * - the weights a model gets (dense 0.5), with vectors from the bench's test embedding server (a real HTTP server
 *   speaking the OpenAI protocol, a fixed lexical rule, not a model) fetched by the product's OpenAI embedder.
 * The full figures come from `npm run bench -- retrieval`; this guards against a change that breaks ranking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../command-side/ingestion/embedding/create-embedder.ts';
import type { Embedder } from '../../command-side/ingestion/embedding/embedder.ts';
import { createChunksProjector } from '../../projections/chunks/projector.ts';
import { createChunkSearch } from '../../query-side/search/search.ts';
import type { searchSettings } from '../../query-side/search/search-options.ts';
import { embedderOptionsOf, searchSettingsOf } from '../app/settings.ts';
import { loadConfig } from '../config/config.ts';
import type { Sql } from '../../contracts/sql.ts';
import { createTestPglite } from '../testing/databases.ts';
import { startEmbeddingServer, type EmbeddingServer } from './embedding-server.ts';
import { loadCorpus, type BenchCorpus } from './retrieval-data.ts';
import { indexCorpus, measureQuality, type Quality } from './retrieval-eval.ts';
import { TEST_EMBEDDING_MODEL, testEmbeddingRule } from './test-embedding-rule.ts';

const QUESTIONS_PER_SET = 120;
const DIMENSIONS = 256;
let sql: Sql;
let corpora: BenchCorpus[];
let server: EmbeddingServer;
let modelConfig: ReturnType<typeof loadConfig>;
let embedder: Embedder;

beforeAll(async () => {
  sql = await createTestPglite();
  server = await startEmbeddingServer(testEmbeddingRule, DIMENSIONS);
  modelConfig = loadConfig({
    OPENAI_BASE_URL: server.baseURL,
    OPENAI_API_KEY: 'test',
    EMBEDDING_MODEL: TEST_EMBEDDING_MODEL,
    EMBEDDING_DIMENSIONS: String(DIMENSIONS),
  });
  embedder = createEmbedder(embedderOptionsOf(modelConfig));
  corpora = [await loadCorpus('squad', 2), await loadCorpus('cmrc', 3)];
  const projector = createChunksProjector({ dimensions: DIMENSIONS });
  for (const corpus of corpora) await indexCorpus(sql, projector, corpus, `kb-${corpus.name}`, embedder);
}, 180_000);

afterAll(async () => {
  await sql?.close();
  await server?.close();
});

async function quality(corpus: BenchCorpus, settings: ReturnType<typeof searchSettings>, withEmbedder: boolean): Promise<Quality> {
  const { weights, bm25, candidates } = settings;
  const search = createChunkSearch({ sql, weights, bm25, candidates, ...(withEmbedder && { embedder }) });
  const questions = corpus.questions.slice(0, QUESTIONS_PER_SET);
  const measured = await measureQuality(questions, async (question) =>
    (await search(`kb-${corpus.name}`, question, 10)).map((hit) => hit.text),
  );
  expect(measured.questions).toBe(QUESTIONS_PER_SET);
  // A strict hit is a loose hit too.
  expect(measured.strictHitAt1).toBeLessThanOrEqual(measured.hitAt1);
  expect(measured.strictHitAt5).toBeLessThanOrEqual(measured.hitAt5);
  return measured;
}

describe('retrieval quality on a slice of SQuAD and CMRC', () => {
  // Measured on this slice: SQuAD hit@5 0.91, hit@1 0.69, MRR 0.79; CMRC 0.98, 0.87, 0.92. The first SQuAD article
  // (Super Bowl 50) asks many near-identical questions, hence its lower hit@1.
  it.each([
    ['squad', 0, { hitAt5: 0.88, hitAt1: 0.6, mrr: 0.75 }],
    ['cmrc', 1, { hitAt5: 0.93, hitAt1: 0.8, mrr: 0.85 }],
  ] as const)('%s, offline defaults: the answer is in the top 5 for nearly every question', async (_name, index, floor) => {
    const settings = searchSettingsOf(loadConfig({}), 'local');
    expect(settings.weights.dense).toBe(0);
    const measured = await quality(corpora[index]!, settings, false);
    expect(measured.hitAt5).toBeGreaterThanOrEqual(floor.hitAt5);
    expect(measured.hitAt1).toBeGreaterThanOrEqual(floor.hitAt1);
    expect(measured.mrr).toBeGreaterThanOrEqual(floor.mrr);
  });

  // Measured on this slice (256-d): SQuAD hybrid hit@5 0.925, hit@1 0.675, MRR 0.78 (BM25 0.917, 0.667, 0.77);
  // CMRC 0.975, 0.875, 0.92 (BM25 0.983, 0.858, 0.915).
  it.each([
    ['squad', 0, { hitAt5: 0.88, hitAt1: 0.6, mrr: 0.75 }],
    ['cmrc', 1, { hitAt5: 0.93, hitAt1: 0.8, mrr: 0.85 }],
  ] as const)('%s, the weights a model gets: the hybrid through the OpenAI embedder', async (_name, index, floor) => {
    const settings = searchSettingsOf(modelConfig, embedder.kind);
    expect(embedder.kind).toBe('remote');
    expect(settings.weights.dense).toBe(0.5);
    const requests = server.stats.requests;
    const measured = await quality(corpora[index]!, settings, true);
    expect(server.stats.requests - requests).toBeGreaterThanOrEqual(QUESTIONS_PER_SET);
    const bm25 = await quality(corpora[index]!, { ...settings, weights: { lexical: 1, dense: 0 } }, false);
    // The dense half is in effect (weight 0 would give BM25's ranking itself), and costs at most 2 of 120 questions.
    expect([measured.mrr, measured.strictMrr]).not.toEqual([bm25.mrr, bm25.strictMrr]);
    expect(measured.hitAt5).toBeGreaterThanOrEqual(bm25.hitAt5 - 2 / QUESTIONS_PER_SET);
    expect(measured.hitAt1).toBeGreaterThanOrEqual(bm25.hitAt1 - 2 / QUESTIONS_PER_SET);
    expect(measured.hitAt5).toBeGreaterThanOrEqual(floor.hitAt5);
    expect(measured.hitAt1).toBeGreaterThanOrEqual(floor.hitAt1);
    expect(measured.mrr).toBeGreaterThanOrEqual(floor.mrr);
  });
});
