/** What the API thread and the generation thread tell each other (off-thread-answer-generator.ts, generation-thread.ts). */
import type { GenerationEvent, GenerationRequest, GenerationUsage } from '../../../../contracts/answer-generation.ts';
import type { OpenAiAnswerGeneratorOptions } from '../openai/openai-answer-generator.ts';

/** A request as it crosses to the thread: everything but the signal (an abort is a message of its own). */
export type SentRequest = Omit<GenerationRequest, 'signal'>;

export type ToThread =
  | { type: 'generate'; id: number; request: SentRequest; aborted: boolean }
  | { type: 'abort'; id: number };

/** A typed failure as plain data: GenerationUnavailableError, GenerationInterruptedError, or anything else. */
export type SentFailure =
  | { kind: 'unavailable'; message: string; reason: 'provider-error' | 'first-token-timeout'; attempts: number }
  | { kind: 'interrupted'; message: string; text: string; usage: GenerationUsage; model: string }
  | { kind: 'other'; message: string };

/** Events of one generation, in order, as many as were ready together; `last`: nothing follows. */
export type FromThread = { id: number; events: GenerationEvent[]; failure?: SentFailure; last: boolean };

/** The thread's first message: it has loaded and takes requests. */
export type ThreadReady = { ready: true };

export interface ThreadSetup {
  options: OpenAiAnswerGeneratorOptions;
}
