/**
 * Rows of the retrieval quality bench. Two runs over the same uploaded corpora:
 * - offline (the local hashed embedder): BM25 alone, the offline hybrid (dense weight 0 by default: the BM25 ranking
 *   itself, so it gets no goal of its own), and on a side base with the local vectors the local dense ranking and
 *   BM25 + 0.2 x local dense;
 * - with a model (the bench's test embedding server, or the model this environment configures): its dense ranking,
 *   the hybrid at the weight a model gets (0.5 by default) and that hybrid minus BM25 on the same base.
 * Every ranking is scored loosely (a chunk contains the answer text) and strictly (it holds the answer's sentence).
 */
import type { Embedder } from '../../command-side/ingestion/embedding/embedder.ts';
import type { ChunkSearch } from '../../query-side/search/search.ts';
import type { SearchWeights } from '../../query-side/search/fusion.ts';
import type { Sql } from '../../contracts/sql.ts';
import { atLeast, type BenchRow } from './report.ts';
import type { BenchCorpus } from './retrieval-data.ts';
import { answerSpread, measureQuality, type Quality } from './retrieval-eval.ts';

export interface Setup {
  sql: Sql;
  embedder: Embedder;
  searchWith(weights: SearchWeights): ChunkSearch;
  hybridWeights: SearchWeights;
}

/** Weights tried besides the configured ones offline, to show what giving the local dense ranking weight does. */
const FUSION_SWEEP = [0.2];
const BM25_ONLY: SearchWeights = { lexical: 1, dense: 0 };
const DENSE_ONLY: SearchWeights = { lexical: 0, dense: 1 };

const fixed = (value: number) => value.toFixed(3);

/** Loose and strict figures of one ranking; `goals` puts the quality goals on the loose hit@1, hit@5 and MRR. */
function qualityRows(prefix: string, quality: Quality, goals: boolean, note: string): BenchRow[] {
  const goal = (value: number, floor: number) => (goals ? atLeast(value, floor) : {});
  const strict = 'holds the answer inside its source sentence';
  return [
    { name: `${prefix}.hit@1`, value: quality.hitAt1, unit: 'ratio', ...goal(quality.hitAt1, 0.8), note: `${quality.questions} questions; ${note}` },
    { name: `${prefix}.hit@5`, value: quality.hitAt5, unit: 'ratio', ...goal(quality.hitAt5, 0.95) },
    { name: `${prefix}.hit@10`, value: quality.hitAt10, unit: 'ratio' },
    { name: `${prefix}.mrr`, value: quality.mrr, unit: 'ratio', ...goal(quality.mrr, 0.85) },
    { name: `${prefix}.strict_hit@1`, value: quality.strictHitAt1, unit: 'ratio', note: `the chunk ${strict}` },
    { name: `${prefix}.strict_hit@5`, value: quality.strictHitAt5, unit: 'ratio' },
    { name: `${prefix}.strict_mrr`, value: quality.strictMrr, unit: 'ratio' },
    { name: `${prefix}.chars@5`, value: quality.charsAt5, unit: 'chars', note: 'mean characters of the top 5 chunks' },
  ];
}

const rankingOf = (setup: Setup, knowledgeBaseId: string) => (weights: SearchWeights) => {
  const search = setup.searchWith(weights);
  return async (question: string) => (await search(knowledgeBaseId, question, 10)).map((hit) => hit.text);
};

/** Facts of the corpus that say how much a loose hit is worth. */
export function spreadRows(corpus: BenchCorpus): BenchRow[] {
  const spread = answerSpread(corpus);
  const share = (count: number) => `${((count / spread.questions) * 100).toFixed(1)}%`;
  return [
    {
      name: `retrieval.${corpus.name}.answer_in_over_5_chunks`,
      value: spread.inOver5Chunks,
      unit: 'questions',
      note: `${share(spread.inOver5Chunks)} of ${spread.questions}: their answer text is in > 5 chunks, a loose hit@5 is nearly free; ${spread.strictReachable} (${share(spread.strictReachable)}) have a chunk holding their source sentence`,
    },
  ];
}

/** A search setup and the knowledge base of one corpus in it. */
export interface Base {
  setup: Setup;
  knowledgeBaseId: string;
}

/**
 * Offline: BM25 and the configured hybrid through the uploaded app; the local dense ranking and BM25 + 0.2 x local
 * dense on `local`, a base projected with the local embedder's vectors (the app stores none while their weight is 0).
 * Also returns the configured hybrid's quality, for the rerank rows to compare with (retrieval-rerank.ts).
 */
export async function offlineQuality(app: Base, local: Base, corpus: BenchCorpus): Promise<{ rows: BenchRow[]; hybrid: Quality }> {
  const ranking = rankingOf(app.setup, app.knowledgeBaseId);
  const localRanking = rankingOf(local.setup, local.knowledgeBaseId);
  const prefix = `retrieval.${corpus.name}`;
  const model = local.setup.embedder.model;
  const lexical = await measureQuality(corpus.questions, ranking(BM25_ONLY));
  const dense = await measureQuality(corpus.questions, localRanking(DENSE_ONLY));
  const rows = [
    ...qualityRows(`${prefix}.bm25`, lexical, true, 'BM25 alone, uploaded app'),
    ...qualityRows(`${prefix}.local_dense`, dense, false, `dense alone, ${model} (hashed lexical features, no model), side base with its vectors`),
  ];
  const { lexical: lexicalWeight, dense: denseWeight } = app.setup.hybridWeights;
  let hybrid = lexical;
  if (denseWeight === 0 && lexicalWeight > 0) {
    // A dense weight of 0 takes the very code path of BM25 alone: the same ranking, nothing to measure or to goal.
    rows.push({
      name: `${prefix}.offline_hybrid.hit@5`,
      value: lexical.hitAt5,
      unit: 'ratio',
      note: 'offline default (local embedder, dense weight 0) = the BM25 ranking itself, not a fusion: see bm25.*',
    });
  } else {
    hybrid = await measureQuality(corpus.questions, ranking(app.setup.hybridWeights));
    rows.push(...qualityRows(`${prefix}.offline_hybrid`, hybrid, false, `configured weights ${lexicalWeight} / ${denseWeight} with ${model}`));
  }
  for (const weight of FUSION_SWEEP) {
    const fused = await measureQuality(corpus.questions, localRanking({ lexical: 1, dense: weight }));
    rows.push({
      name: `${prefix}.local_fused_dense_${weight}.hit@5`,
      value: fused.hitAt5,
      unit: 'ratio',
      note: `BM25 + ${weight} x local dense (side base): hit@1 ${fixed(fused.hitAt1)}, MRR ${fixed(fused.mrr)}, strict hit@5 ${fixed(fused.strictHitAt5)} (not a default)`,
    });
  }
  return { rows, hybrid };
}

/**
 * With a model: its dense ranking and the hybrid at the weight the configuration gives a model, next to BM25 on the
 * same base. `label` names the rows ('test_embedder' for the bench's server), `what` says what made the vectors,
 * `caveat` what the difference to BM25 can and cannot say with them.
 */
export async function modelQuality(
  setup: Setup,
  corpus: BenchCorpus,
  knowledgeBaseId: string,
  label: string,
  what: string,
  caveat: string,
): Promise<BenchRow[]> {
  const ranking = rankingOf(setup, knowledgeBaseId);
  const prefix = `retrieval.${corpus.name}.${label}`;
  const weights = setup.hybridWeights;
  const lexical = await measureQuality(corpus.questions, ranking(BM25_ONLY));
  const dense = await measureQuality(corpus.questions, ranking(DENSE_ONLY));
  const hybrid = await measureQuality(corpus.questions, ranking(weights));
  const diff = (key: keyof Quality) => `${key} ${fixed(hybrid[key] - lexical[key])}`;
  return [
    ...qualityRows(`${prefix}.dense`, dense, false, `dense alone; ${what}`),
    ...qualityRows(`${prefix}.hybrid`, hybrid, true, `BM25 ${weights.lexical} + dense ${weights.dense} (the weights a model gets); ${what}`),
    {
      name: `${prefix}.hybrid_minus_bm25.hit@5`,
      value: hybrid.hitAt5 - lexical.hitAt5,
      unit: 'ratio',
      goal: '>= 0 (and hit@1)',
      pass: hybrid.hitAt5 >= lexical.hitAt5 && hybrid.hitAt1 >= lexical.hitAt1,
      note: `vs BM25 alone on the same base (hit@5 ${fixed(lexical.hitAt5)}): ${diff('hitAt1')}, ${diff('mrr')}, ${diff('strictHitAt1')}, ${diff('strictHitAt5')}${caveat}`,
    },
  ];
}
