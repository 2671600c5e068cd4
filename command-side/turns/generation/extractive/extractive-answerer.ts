/**
 * The answerer without a language model (no OPENAI_API_KEY): it quotes the retrieved sentences that best match the
 * question, each with its [n], says that the answer is extractive, and invents nothing. It streams like a model
 * (small deltas, one event-loop turn apart) and stops at maxTokens or when the request's signal aborts.
 * Usage is counted locally: the prompt is the question (nothing else is "read" by a model), the completion is the
 * text streamed. So an answer that finds nothing costs only its question and one short sentence.
 */
import type {
  AnswerGenerator,
  GenerationEnd,
  GenerationEvent,
  GenerationRequest,
} from '../../../../contracts/answer-generation.ts';
import { countTokens } from '../../../ingestion/chunking/index.ts';
import { citedPassageNumbers } from '../citations.ts';
import { localUsage } from '../local-usage.ts';
import { extractiveAnswer } from './extractive-wording.ts';
import { questionLanguage } from './question-language.ts';
import { bestSentences, DEFAULT_RANK_OPTIONS, type RankOptions } from './rank-sentences.ts';
import { smallDeltas } from './small-deltas.ts';

export interface ExtractiveAnswererOptions {
  /** The name it is billed under (the price table's key). */
  model: string;
  /** Default 4096. */
  maxOutputTokens?: number;
  rank?: Partial<RankOptions>;
}

/** How many of the pieces fit `maxTokens` together (tokens of a prefix grow with its length). */
function piecesWithin(pieces: readonly string[], maxTokens: number): number {
  let low = 0;
  let high = pieces.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (countTokens(pieces.slice(0, middle).join('')) <= maxTokens) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Lets other streams and I/O run between deltas, as a model's network stream would. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createExtractiveAnswerer(options: ExtractiveAnswererOptions): AnswerGenerator {
  const { model } = options;
  const rank = { ...DEFAULT_RANK_OPTIONS, ...options.rank };

  async function* generate(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
    const { signal } = request;
    const answer = extractiveAnswer(
      questionLanguage(request.question),
      bestSentences(request.question, request.passages, rank),
    );
    const pieces = smallDeltas(answer);
    const count = piecesWithin(pieces, request.maxTokens);
    const known = new Set(request.passages.map((passage) => passage.n));
    let text = '';
    const end = (outcome: GenerationEnd['outcome'], finishReason: string | null): GenerationEnd => ({
      type: 'end',
      outcome,
      model,
      usage: localUsage(countTokens(request.question), text),
      text,
      finishReason,
      cited: citedPassageNumbers(text, known),
    });

    for (const piece of pieces.slice(0, count)) {
      await nextTurn();
      if (signal?.aborted) {
        yield end('stopped', null);
        return;
      }
      text += piece;
      yield { type: 'delta', text: piece };
    }
    yield end('completed', count < pieces.length ? 'length' : 'stop');
  }

  return {
    model,
    maxOutputTokens: options.maxOutputTokens ?? 4096,
    estimatePromptTokens: (input) => countTokens(input.question),
    generate,
  };
}
