/**
 * `npm run bench -- retrieval`: retrieval quality on ../shared/data and search speed, with the embedder and search
 * weights the configuration gives (by default: the local embedder, BM25 alone in the hybrid). Documents are
 * projected from document events (DocumentChunked / ChunksEmbedded) through the chunks projector, as the pipeline
 * would record them; every question then goes through the product's search.
 */
import { createEmbedder } from '../../command-side/ingestion/embedding/create-embedder.ts';
import type { Embedder } from '../../command-side/ingestion/embedding/embedder.ts';
import { createChunksProjector } from '../../projections/chunks/projector.ts';
import { createChunkSearch, type ChunkSearch } from '../../query-side/search/search.ts';
import { searchSettings } from '../../query-side/search/search-options.ts';
import type { SearchWeights } from '../../query-side/search/fusion.ts';
import { loadConfig } from '../config/config.ts';
import type { Sql } from '../sql/types.ts';
import { createTestPglite } from '../testing/databases.ts';
import { atLeast, below, percentile, sortNumbers, type BenchRow } from './report.ts';
import { loadCorpus, type BenchCorpus, type DataSetName } from './retrieval-data.ts';
import { indexCorpus, measureQuality, type Quality } from './retrieval-eval.ts';

const SPEED_CHUNKS = 10_000;
const SPEED_QUERIES = 300;
/** Weights tried besides the configured ones, to show what giving the dense ranking weight does. */
const FUSION_SWEEP = [0.1, 0.3];

interface Setup {
  sql: Sql;
  embedder: Embedder;
  searchWith(weights: SearchWeights): ChunkSearch;
  hybridWeights: SearchWeights;
}

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

async function qualityOf(setup: Setup, corpus: BenchCorpus): Promise<BenchRow[]> {
  const knowledgeBaseId = `kb-${corpus.name}`;
  const indexed = await indexCorpus(setup.sql, createChunksProjector({ dimensions: setup.embedder.dimensions }), corpus, knowledgeBaseId, setup.embedder);
  const ranking = (weights: SearchWeights) => {
    const search = setup.searchWith(weights);
    return async (question: string) => (await search(knowledgeBaseId, question, 10)).map((hit) => hit.text);
  };
  const prefix = `retrieval.${corpus.name}`;
  const lexical = await measureQuality(corpus.questions, ranking({ lexical: 1, dense: 0 }));
  const dense = await measureQuality(corpus.questions, ranking({ lexical: 0, dense: 1 }));
  const hybrid = await measureQuality(corpus.questions, ranking(setup.hybridWeights));
  const rows: BenchRow[] = [
    {
      name: `${prefix}.index.chunks_per_s`,
      value: (indexed.chunks / indexed.ms) * 1000,
      unit: 'chunks/s',
      note: `${corpus.documents.length} documents, ${indexed.chunks} chunks, embedded (${setup.embedder.model}) and projected`,
    },
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

/** Top-10 search latency over a knowledge base of SPEED_CHUNKS chunks (the data sets' chunks, repeated). */
async function speedOf(setup: Setup, corpora: readonly BenchCorpus[]): Promise<BenchRow[]> {
  const knowledgeBaseId = 'kb-speed';
  const documents = corpora.flatMap((corpus) => corpus.documents);
  const total = documents.reduce((sum, document) => sum + document.chunks.length, 0);
  const copies = Math.ceil(SPEED_CHUNKS / total);
  const speedCorpus: BenchCorpus = {
    name: 'squad',
    questions: [],
    documents: Array.from({ length: copies }, (_, copy) =>
      documents.map((document) => ({ ...document, documentId: `${copy}-${document.documentId}` })),
    ).flat(),
  };
  let remaining = SPEED_CHUNKS;
  speedCorpus.documents = speedCorpus.documents.flatMap((document) => {
    const chunks = document.chunks.slice(0, remaining);
    remaining -= chunks.length;
    return chunks.length > 0 ? [{ ...document, chunks }] : [];
  });
  const indexed = await indexCorpus(setup.sql, createChunksProjector({ dimensions: setup.embedder.dimensions }), speedCorpus, knowledgeBaseId, setup.embedder);
  const questions = corpora.flatMap((corpus) => corpus.questions.slice(0, SPEED_QUERIES / corpora.length));
  const latency = async (weights: SearchWeights) => {
    const search = setup.searchWith(weights);
    for (const { question } of questions.slice(0, 20)) await search(knowledgeBaseId, question, 10);
    const times: number[] = [];
    for (const { question } of questions) {
      const started = performance.now();
      await search(knowledgeBaseId, question, 10);
      times.push(performance.now() - started);
    }
    return sortNumbers(times);
  };
  const hybrid = await latency(setup.hybridWeights);
  const dense = await latency({ lexical: 0, dense: 1 });
  const fused = await latency({ lexical: 1, dense: 0.5 });
  const p50 = percentile(hybrid, 50);
  return [
    {
      name: 'retrieval.speed.index.chunks_per_s',
      value: (indexed.chunks / indexed.ms) * 1000,
      unit: 'chunks/s',
      note: `${indexed.chunks} chunks embedded and projected (HNSW ${setup.embedder.dimensions}-d, BM25 postings)`,
    },
    {
      name: 'retrieval.speed.search_top10.p50',
      value: p50,
      unit: 'ms',
      ...below(p50, 15),
      note: `configured hybrid over ${indexed.chunks} chunks, ${questions.length} SQuAD+CMRC questions; p99 ${percentile(hybrid, 99).toFixed(1)} ms`,
    },
    {
      name: 'retrieval.speed.dense_top10.p50',
      value: percentile(dense, 50),
      unit: 'ms',
      note: `HNSW alone, query embedding included; p99 ${percentile(dense, 99).toFixed(1)} ms`,
    },
    {
      name: 'retrieval.speed.fused_top10.p50',
      value: percentile(fused, 50),
      unit: 'ms',
      note: `BM25 + dense (as with a real embedding model); p99 ${percentile(fused, 99).toFixed(1)} ms`,
    },
  ];
}

export async function bench(): Promise<BenchRow[]> {
  const config = loadConfig();
  const embedder = createEmbedder(config);
  const settings = searchSettings(config, embedder.kind);
  const sql = await createTestPglite();
  try {
    const setup: Setup = {
      sql,
      embedder,
      hybridWeights: settings.weights,
      searchWith: (weights) => createChunkSearch({ sql, embedder, weights, bm25: settings.bm25, candidates: settings.candidates }),
    };
    const names: DataSetName[] = ['squad', 'cmrc'];
    const corpora = await Promise.all(names.map((name) => loadCorpus(name)));
    const rows: BenchRow[] = [];
    for (const corpus of corpora) rows.push(...(await qualityOf(setup, corpus)));
    rows.push(...(await speedOf(setup, corpora)));
    return rows;
  } finally {
    await sql.close();
  }
}
