/** The speed half of the retrieval bench, run with the offline run's settings (see speedOf). */
import { createChunksProjector } from '../../projections/chunks/projector.ts';
import type { SearchWeights } from '../../query-side/search/fusion.ts';
import { below, percentile, sortNumbers, type BenchRow } from './report.ts';
import type { BenchCorpus, DataSetName } from './retrieval-data.ts';
import { indexCorpus } from './retrieval-eval.ts';
import type { Setup } from './retrieval-quality.ts';

export const SPEED_CHUNKS = 10_000;
const SPEED_QUERIES = 400;

/**
 * Top-10 search latency over a knowledge base of SPEED_CHUNKS chunks (the data sets' chunks, repeated), as the
 * offline run's configured search runs it. That base is projected without vectors (HNSW inserts on PGlite cost
 * tens of ms per 1536-d vector): the dense and fused latencies are measured on the local-vector bases of the
 * quality rows (one per data set, ~500 chunks), which have them.
 */
export async function speedOf(
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
      note: `offline configured search over ${indexed.chunks} chunks, ${questions.length} questions; p99 ${p(configured, 99)} ms`,
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
      note: `HNSW (${setup.embedder.dimensions}-d) over a local-vector base (~500 chunks), local query embedding included; p99 ${p(dense, 99)} ms`,
    },
    {
      name: 'retrieval.speed.fused_top10.p50',
      value: percentile(fused, 50),
      unit: 'ms',
      note: `BM25 + 0.5 x local dense over a local-vector base (~500 chunks), the fusion a model's weight runs; p99 ${p(fused, 99)} ms`,
    },
  ];
}
