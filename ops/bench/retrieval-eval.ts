/**
 * Retrieval quality of a ranking over a corpus: hit@1/@5/@10 (a returned chunk contains an answer text), MRR over
 * the top 10, and the mean characters of the top 5 (bigger chunks make hits easier: report the size with the hits).
 */
import type { Sql } from '../sql/types.ts';
import type { Projector } from '../../projections/runtime/projector.ts';
import {
  asRecorded,
  documentLifecycle,
  projectDirectly,
  type VectorSource,
} from '../../projections/chunks/test-events.ts';
import type { BenchCorpus, BenchQuestion } from './retrieval-data.ts';

export interface Quality {
  questions: number;
  hitAt1: number;
  hitAt5: number;
  hitAt10: number;
  mrr: number;
  /** Mean over questions of the characters of the top-5 returned chunks together. */
  charsAt5: number;
}

/** Projects the corpus's documents into `knowledgeBaseId` through the chunks projector, from document events. */
export async function indexCorpus(
  sql: Sql,
  projector: Projector,
  corpus: BenchCorpus,
  knowledgeBaseId: string,
  vectors: VectorSource | undefined,
): Promise<{ chunks: number; ms: number }> {
  const started = performance.now();
  const events = [];
  for (const document of corpus.documents) {
    const documentId = `${knowledgeBaseId}-${document.documentId}`;
    events.push(
      ...(await documentLifecycle({ documentId, knowledgeBaseId, name: document.name, texts: document.chunks }, vectors)),
    );
  }
  await projectDirectly(sql, projector, asRecorded(events), 20);
  const chunks = corpus.documents.reduce((sum, document) => sum + document.chunks.length, 0);
  return { chunks, ms: performance.now() - started };
}

export type Ranking = (question: string) => Promise<readonly string[]>;

export async function measureQuality(questions: readonly BenchQuestion[], rank: Ranking): Promise<Quality> {
  let hitAt1 = 0;
  let hitAt5 = 0;
  let hitAt10 = 0;
  let reciprocalRanks = 0;
  let chars = 0;
  for (const { question, answers } of questions) {
    const texts = (await rank(question)).slice(0, 10);
    const at = texts.findIndex((text) => answers.some((answer) => text.includes(answer)));
    if (at === 0) hitAt1++;
    if (at >= 0 && at < 5) hitAt5++;
    if (at >= 0) {
      hitAt10++;
      reciprocalRanks += 1 / (at + 1);
    }
    chars += texts.slice(0, 5).reduce((sum, text) => sum + text.length, 0);
  }
  const n = questions.length || 1;
  return {
    questions: questions.length,
    hitAt1: hitAt1 / n,
    hitAt5: hitAt5 / n,
    hitAt10: hitAt10 / n,
    mrr: reciprocalRanks / n,
    charsAt5: chars / n,
  };
}
