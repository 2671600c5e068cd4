/**
 * Retrieval quality of a ranking over a corpus: hit@1/@5/@10 (a returned chunk contains an answer text), MRR over
 * the top 10, the strict hit@1/@5 and MRR (the chunk holds the answer's source sentence) and the mean characters of
 * the top 5 (bigger chunks make hits easier: report the size with the hits).
 */
import type { Sql } from '../../contracts/sql.ts';
import type { Projector } from '../../projections/runtime/projector.ts';
import {
  asRecorded,
  documentLifecycle,
  projectDirectly,
  type VectorSource,
} from '../../projections/chunks/test-events.ts';
import type { BenchCorpus, BenchQuestion } from './retrieval-data.ts';
import { holdsSource, normalizeSpace } from './retrieval-sentences.ts';

export interface Quality {
  questions: number;
  hitAt1: number;
  hitAt5: number;
  hitAt10: number;
  mrr: number;
  /** Hits that hold the answer inside its source sentence (retrieval-sentences.ts), not just the answer text. */
  strictHitAt1: number;
  strictHitAt5: number;
  strictMrr: number;
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

/** Rank (0-based) of the first of `texts` that `isHit`, or -1. */
const firstHit = (texts: readonly string[], isHit: (text: string) => boolean) => texts.findIndex(isHit);

export async function measureQuality(questions: readonly BenchQuestion[], rank: Ranking): Promise<Quality> {
  const loose = { at1: 0, at5: 0, at10: 0, rr: 0 };
  const strict = { at1: 0, at5: 0, at10: 0, rr: 0 };
  const count = (tally: typeof loose, at: number) => {
    if (at === 0) tally.at1++;
    if (at >= 0 && at < 5) tally.at5++;
    if (at >= 0) {
      tally.at10++;
      tally.rr += 1 / (at + 1);
    }
  };
  let chars = 0;
  let answered = 0;
  for (const { question, answers, sources } of questions) {
    const texts = (await rank(question)).slice(0, 10);
    if (texts.length > 0) answered++;
    count(loose, firstHit(texts, (text) => answers.some((answer) => text.includes(answer))));
    count(strict, firstHit(texts, (text) => holdsSource(normalizeSpace(text), sources)));
    chars += texts.slice(0, 5).reduce((sum, text) => sum + text.length, 0);
  }
  // A ranking that returns nothing at all is not a quality of 0: its index is empty (e.g. no vectors stored).
  if (questions.length > 0 && answered === 0) throw new Error('the ranking returned no chunk for any question');
  const n = questions.length || 1;
  return {
    questions: questions.length,
    hitAt1: loose.at1 / n,
    hitAt5: loose.at5 / n,
    hitAt10: loose.at10 / n,
    mrr: loose.rr / n,
    strictHitAt1: strict.at1 / n,
    strictHitAt5: strict.at5 / n,
    strictMrr: strict.rr / n,
    charsAt5: chars / n,
  };
}

export interface AnswerSpread {
  questions: number;
  /** Questions whose answer text is in more than 5 of the corpus's chunks: a loose hit@5 costs them nothing. */
  inOver5Chunks: number;
  /** Questions some chunk holds a source sentence of (the rest have it split between chunks, or no located answer). */
  strictReachable: number;
}

/** Facts of the corpus, not of a ranking: how many chunks carry each question's answer, loosely and strictly. */
export function answerSpread(corpus: BenchCorpus): AnswerSpread {
  const chunks = corpus.documents.flatMap((document) => document.chunks);
  const normalized = chunks.map(normalizeSpace);
  let inOver5Chunks = 0;
  let strictReachable = 0;
  for (const { answers, sources } of corpus.questions) {
    if (chunks.filter((chunk) => answers.some((answer) => chunk.includes(answer))).length > 5) inOver5Chunks++;
    if (normalized.some((chunk) => holdsSource(chunk, sources))) strictReachable++;
  }
  return { questions: corpus.questions.length, inOver5Chunks, strictReachable };
}
