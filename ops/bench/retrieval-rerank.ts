/**
 * Rows of the retrieval bench for the rerank stage: the uploaded app's hybrid search (offline default: BM25) followed
 * by the product's rerank stage and client (withRerank, createRerankClient, configured from RERANK_* variables as the
 * app configures them), over HTTP to the bench's test rerank server. Its scores come from a lexical rule
 * (test-rerank-rule.ts), NOT a model: the figures say that the stage reorders as its server says and what that costs
 * per search, and what this rule does to BM25's order; not what a rerank model would add.
 */
import { createRerankClient } from '../../query-side/search/rerank-client.ts';
import { startRerankServer, type RerankServer } from '../../query-side/search/rerank-server.testing.ts';
import { withRerank, type RerankObserver } from '../../query-side/search/rerank.ts';
import { rerankOptionsOf } from '../app/settings.ts';
import { loadConfig } from '../config/config.ts';
import { atMost, percentile, sortNumbers, type BenchRow } from './report.ts';
import type { BenchCorpus } from './retrieval-data.ts';
import { measureQuality, type Quality } from './retrieval-eval.ts';
import type { Base } from './retrieval-quality.ts';
import { TEST_RERANK_MODEL, testRerankRule } from './test-rerank-rule.ts';

/** Candidates tried besides RERANK_CANDIDATES' default. */
const MORE_CANDIDATES = 50;

const fixed = (value: number) => value.toFixed(3);
const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;

export const startTestRerankServer = (): Promise<RerankServer> => startRerankServer(testRerankRule, { record: false });

function counting(): { observer: RerankObserver; seconds: number[]; fallbacks: string[] } {
  const seconds: number[] = [];
  const fallbacks: string[] = [];
  return {
    seconds,
    fallbacks,
    observer: {
      reranked: (s) => seconds.push(s),
      fellBack: (reason, error) => fallbacks.push(`${reason}: ${error.message}`),
    },
  };
}

/** The app's hybrid on `base`, reranked by `server` with `candidates` (default: the configuration's). */
async function measureReranked(base: Base, corpus: BenchCorpus, server: RerankServer, candidates?: number) {
  const config = loadConfig({
    RERANK_BASE_URL: server.baseUrl,
    RERANK_MODEL: TEST_RERANK_MODEL,
    ...(candidates !== undefined && { RERANK_CANDIDATES: String(candidates) }),
  });
  const options = rerankOptionsOf(config)!;
  const counts = counting();
  const hybrid = base.setup.searchWith(base.setup.hybridWeights);
  const search = withRerank(hybrid, { reranker: createRerankClient(options), candidates: options.candidates, observer: counts.observer });
  const quality = await measureQuality(corpus.questions, async (question) =>
    (await search(base.knowledgeBaseId, question, 10)).map((hit) => hit.text),
  );
  return { quality, candidates: options.candidates, timeoutMs: options.timeoutMs, ...counts };
}

/** `hybrid`: the same base's hybrid quality, measured by offlineQuality. */
export async function rerankQuality(base: Base, corpus: BenchCorpus, hybrid: Quality, server: RerankServer): Promise<BenchRow[]> {
  const prefix = `retrieval.${corpus.name}.rerank_test_rule`;
  const requestsBefore = server.stats.requests;
  const reranked = await measureReranked(base, corpus, server);
  const more = await measureReranked(base, corpus, server, MORE_CANDIDATES);
  const q = reranked.quality;
  const diff = (key: keyof Quality, quality: Quality = q) => `${key} ${signed(quality[key] - hybrid[key])}`;
  const what = `hybrid top ${reranked.candidates} (RERANK_CANDIDATES default) reranked over HTTP by the bench's test server (${TEST_RERANK_MODEL}: a lexical rule, not a model)`;
  const ms = sortNumbers(reranked.seconds.map((s) => s * 1000));
  const fallbacks = [...reranked.fallbacks, ...more.fallbacks];
  return [
    { name: `${prefix}.hit@1`, value: q.hitAt1, unit: 'ratio', note: `${q.questions} questions; ${what}` },
    { name: `${prefix}.hit@5`, value: q.hitAt5, unit: 'ratio' },
    { name: `${prefix}.hit@10`, value: q.hitAt10, unit: 'ratio' },
    { name: `${prefix}.mrr`, value: q.mrr, unit: 'ratio' },
    { name: `${prefix}.strict_hit@1`, value: q.strictHitAt1, unit: 'ratio' },
    { name: `${prefix}.strict_mrr`, value: q.strictMrr, unit: 'ratio' },
    {
      name: `${prefix}_minus_hybrid.hit@1`,
      value: q.hitAt1 - hybrid.hitAt1,
      unit: 'ratio',
      note: `vs the hybrid alone on the same base (hit@1 ${fixed(hybrid.hitAt1)}, MRR ${fixed(hybrid.mrr)}): ${diff('mrr')}, ${diff('hitAt5')}, ${diff('strictHitAt1')}, ${diff('strictMrr')}`,
    },
    {
      name: `${prefix}_${MORE_CANDIDATES}_candidates.hit@1`,
      value: more.quality.hitAt1,
      unit: 'ratio',
      note: `the same with RERANK_CANDIDATES=${MORE_CANDIDATES}: MRR ${fixed(more.quality.mrr)}, hit@5 ${fixed(more.quality.hitAt5)}; vs hybrid ${diff('hitAt1', more.quality)}, ${diff('mrr', more.quality)}`,
    },
    {
      name: `${prefix}.fallbacks`,
      value: fallbacks.length,
      unit: 'searches',
      ...atMost(fallbacks.length, 0),
      note: `searches served in hybrid order (timeout ${reranked.timeoutMs} ms) of ${server.stats.requests - requestsBefore} rerank requests answered${fallbacks[0] ? `, first: ${fallbacks[0]}` : ''}; rerank request p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms (in-process test server: HTTP and the rule, no model)`,
    },
  ];
}
