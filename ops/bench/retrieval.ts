/**
 * `npm run bench -- retrieval`: retrieval quality on ops/testing/data and search speed, with the embedder and search
 * weights the configuration gives (by default: the local embedder, BM25 alone in the hybrid).
 * Quality: every document goes through the real upload path (HTTP upload, parse, chunk, embed, project: see
 * retrieval-upload.ts), then every question through the product's search with BM25 alone, dense alone, the
 * configured hybrid and a fused variant. Speed: a 10,000-chunk knowledge base projected from DocumentChunked events.
 */
import { createEmbedder } from '../../command-side/ingestion/embedding/create-embedder.ts';
import type { Embedder } from '../../command-side/ingestion/embedding/embedder.ts';
import { createChunksProjector } from '../../projections/chunks/projector.ts';
import { createChunkSearch, type ChunkSearch } from '../../query-side/search/search.ts';
import { searchSettings } from '../../query-side/search/search-options.ts';
import type { SearchWeights } from '../../query-side/search/fusion.ts';
import type { Sql } from '../sql/types.ts';
import { createTestPglite } from '../testing/databases.ts';
import { atLeast, below, percentile, sortNumbers, type BenchRow } from './report.ts';
import { loadCorpus, type BenchCorpus, type DataSetName } from './retrieval-data.ts';
import { indexCorpus, measureQuality, type Quality } from './retrieval-eval.ts';
import { uploadCorpora } from './retrieval-upload.ts';

const SPEED_CHUNKS = 10_000;
const SPEED_QUERIES = 400;
/** Weights tried besides the configured ones, to show what giving the dense ranking weight does. */
const FUSION_SWEEP = [0.2];

interface Setup {
  sql: Sql;
  embedder: Embedder;
  searchWith(weights: SearchWeights): ChunkSearch;
  hybridWeights: SearchWeights;
}

type Settings = ReturnType<typeof searchSettings>;

const setupFor = (sql: Sql, embedder: Embedder, settings: Settings): Setup => ({
  sql,
  embedder,
  hybridWeights: settings.weights,
  searchWith: (weights) =>
    createChunkSearch({ sql, embedder, weights, bm25: settings.bm25, candidates: settings.candidates }),
});

const progress = (message: string) => console.error(`bench retrieval: ${message}`);

function qualityRows(prefix: string, quality: Quality, goals: boolean): BenchRow[] {
  const note = `${quality.questions} questions`;
  return [
    { name: `${prefix}.hit@1`, value: quality.hitAt1, unit: 'ratio', ...(goals ? atLeast(quality.hitAt1, 0.8) : {}), note },
    { name: `${prefix}.hit@5`, value: quality.hitAt5, unit: 'ratio', ...(goals ? atLeast(quality.hitAt5, 0.95) : {}) },
    { name: `${prefix}.hit@10`, value: quality.hitAt10, unit: 'ratio' },
    { name: `${prefix}.mrr`, value: quality.mrr, unit: 'ratio', ...(goals ? atLeast(quality.mrr, 0.85) : {}) },
    { name: `${prefix}.chars@5`, value: quality.charsAt5, unit: 'chars', note: 'mean characters of the top 5 chunks' },
  ];
}

async function qualityOf(setup: Setup, corpus: BenchCorpus, knowledgeBaseId: string): Promise<BenchRow[]> {
  const ranking = (weights: SearchWeights) => {
    const search = setup.searchWith(weights);
    return async (question: string) => (await search(knowledgeBaseId, question, 10)).map((hit) => hit.text);
  };
  const prefix = `retrieval.${corpus.name}`;
  const lexical = await measureQuality(corpus.questions, ranking({ lexical: 1, dense: 0 }));
  const dense = await measureQuality(corpus.questions, ranking({ lexical: 0, dense: 1 }));
  // A dense weight of 0 takes the very code path of BM25 alone: same ranking, no need to run it twice.
  const hybrid =
    setup.hybridWeights.dense === 0 && setup.hybridWeights.lexical > 0
      ? lexical
      : await measureQuality(corpus.questions, ranking(setup.hybridWeights));
  const rows: BenchRow[] = [
    ...qualityRows(`${prefix}.bm25`, lexical, true),
    ...qualityRows(`${prefix}.dense`, dense, false),
    ...qualityRows(`${prefix}.hybrid`, hybrid, true),
    {
      name: `${prefix}.hybrid_minus_bm25.hit@5`,
      value: hybrid.hitAt5 - lexical.hitAt5,
      unit: 'ratio',
      goal: '>= 0',
      pass: hybrid.hitAt5 >= lexical.hitAt5 && hybrid.hitAt1 >= lexical.hitAt1,
      note: `weights lexical ${setup.hybridWeights.lexical}, dense ${setup.hybridWeights.dense}; hit@1 diff ${(hybrid.hitAt1 - lexical.hitAt1).toFixed(3)}`,
    },
  ];
  for (const weight of FUSION_SWEEP) {
    const fused = await measureQuality(corpus.questions, ranking({ lexical: 1, dense: weight }));
    rows.push({
      name: `${prefix}.fused_dense_${weight}.hit@5`,
      value: fused.hitAt5,
      unit: 'ratio',
      note: `BM25 + ${weight} x dense: hit@1 ${fused.hitAt1.toFixed(3)}, MRR ${fused.mrr.toFixed(3)} (not the default)`,
    });
  }
  return rows;
}

/**
 * Top-10 search latency over a knowledge base of SPEED_CHUNKS chunks (the data sets' chunks, repeated), as the
 * configured search runs it. That base is projected without vectors (HNSW inserts on PGlite cost tens of ms per
 * 1536-d vector): the dense and fused latencies are measured on the quality bases, which have them.
 */
async function speedOf(
  setup: Setup & { denseBase: Setup },
  corpora: readonly BenchCorpus[],
  qualityBases: Record<DataSetName, string>,
): Promise<BenchRow[]> {
  const knowledgeBaseId = 'kb-speed';
  const documents = corpora.flatMap((corpus) => corpus.documents);
  const total = documents.reduce((sum, document) => sum + document.chunks.length, 0);
  let remaining = SPEED_CHUNKS;
  const speedDocuments = Array.from({ length: Math.ceil(SPEED_CHUNKS / total) }, (_, copy) =>
    documents.map((document) => ({ ...document, documentId: `${copy}-${document.documentId}` })),
  )
    .flat()
    .flatMap((document) => {
      const chunks = document.chunks.slice(0, remaining);
      remaining -= chunks.length;
      return chunks.length > 0 ? [{ ...document, chunks }] : [];
    });
  const projector = createChunksProjector({ dimensions: setup.embedder.dimensions });
  const speedCorpus: BenchCorpus = { name: 'squad', questions: [], documents: speedDocuments };
  const indexed = await indexCorpus(setup.sql, projector, speedCorpus, knowledgeBaseId, undefined);
  const questions = corpora.flatMap((corpus) =>
    corpus.questions.slice(0, SPEED_QUERIES / corpora.length).map((question) => ({ ...question, corpus: corpus.name })),
  );
  const latency = async (weights: SearchWeights, on: Setup, base: (corpus: DataSetName) => string) => {
    const search = on.searchWith(weights);
    for (const { question, corpus } of questions.slice(0, 20)) await search(base(corpus), question, 10);
    const times: number[] = [];
    for (const { question, corpus } of questions) {
      const started = performance.now();
      await search(base(corpus), question, 10);
      times.push(performance.now() - started);
    }
    return sortNumbers(times);
  };
  const configured = await latency(setup.hybridWeights, setup, () => knowledgeBaseId);
  const bm25 = await latency({ lexical: 1, dense: 0 }, setup, () => knowledgeBaseId);
  const dense = await latency({ lexical: 0, dense: 1 }, setup.denseBase, (corpus) => qualityBases[corpus]);
  const fused = await latency({ lexical: 1, dense: 0.5 }, setup.denseBase, (corpus) => qualityBases[corpus]);
  const p50 = percentile(configured, 50);
  const p = (sorted: number[], q: number) => percentile(sorted, q).toFixed(1);
  return [
    {
      name: 'retrieval.speed.index_bm25.chunks_per_s',
      value: (indexed.chunks / indexed.ms) * 1000,
      unit: 'chunks/s',
      note: `${indexed.chunks} chunks projected from DocumentChunked (postings, statistics), no vectors`,
    },
    {
      name: 'retrieval.speed.search_top10.p50',
      value: p50,
      unit: 'ms',
      ...below(p50, 15),
      note: `configured search over ${indexed.chunks} chunks, ${questions.length} questions; p99 ${p(configured, 99)} ms`,
    },
    {
      name: 'retrieval.speed.bm25_top10.p50',
      value: percentile(bm25, 50),
      unit: 'ms',
      note: `over ${indexed.chunks} chunks; p99 ${p(bm25, 99)} ms`,
    },
    {
      name: 'retrieval.speed.dense_top10.p50',
      value: percentile(dense, 50),
      unit: 'ms',
      note: `HNSW (${setup.embedder.dimensions}-d) over a quality base (~500 chunks), query embedding included; p99 ${p(dense, 99)} ms`,
    },
    {
      name: 'retrieval.speed.fused_top10.p50',
      value: percentile(fused, 50),
      unit: 'ms',
      note: `BM25 + dense over a quality base (~500 chunks), as with a real model; p99 ${p(fused, 99)} ms`,
    },
  ];
}

export async function bench(): Promise<BenchRow[]> {
  const names: DataSetName[] = ['squad', 'cmrc'];
  const corpora = await Promise.all(names.map((name) => loadCorpus(name)));
  progress(`uploading ${corpora.map((c) => `${c.documents.length} ${c.name} documents`).join(', ')}`);
  const uploaded = await uploadCorpora(corpora);
  const rows: BenchRow[] = [];
  try {
    const config = uploaded.app.app.config;
    const embedder = createEmbedder(config);
    const settings = searchSettings(config, embedder.kind);
    const setup = setupFor(uploaded.app.app.searchIndex, embedder, settings);
    rows.push({
      name: 'retrieval.upload.chunks_per_s',
      value: (uploaded.chunks / uploaded.ms) * 1000,
      unit: 'chunks/s',
      note: `${uploaded.documents} .txt documents, ${uploaded.chunks} chunks, upload to indexed in ${(uploaded.ms / 1000).toFixed(1)} s (${embedder.model})`,
    });
    for (const corpus of corpora) {
      progress(`quality on ${corpus.name} (${corpus.questions.length} questions)`);
      rows.push(...(await qualityOf(setup, corpus, uploaded.knowledgeBaseIds[corpus.name])));
    }
    const sql = await createTestPglite();
    try {
      progress(`speed over ${SPEED_CHUNKS} chunks`);
      rows.push(...(await speedOf({ ...setupFor(sql, embedder, settings), denseBase: setup }, corpora, uploaded.knowledgeBaseIds)));
    } finally {
      await sql.close();
    }
  } finally {
    await uploaded.app.close();
  }
  return rows;
}
