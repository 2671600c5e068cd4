/**
 * The generation thread: runs the OpenAI-compatible generator (its HTTP client, the provider's server-sent events,
 * the retries and watchdog) away from the API thread, and sends each answer's events back as they come. Started by
 * off-thread-answer-generator.ts through thread-entry.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GenerationInterruptedError, GenerationUnavailableError, type GenerationEvent } from '../../../../contracts/answer-generation.ts';
import { createOpenAiAnswerGenerator } from '../openai/openai-answer-generator.ts';
import type { FromThread, SentFailure, ThreadReady, ThreadSetup, ToThread } from './messages.ts';

const port = parentPort!;
const generator = createOpenAiAnswerGenerator((workerData as ThreadSetup).options);
const running = new Map<number, AbortController>();

function failureOf(error: unknown): SentFailure {
  if (error instanceof GenerationUnavailableError) {
    return { kind: 'unavailable', message: error.message, reason: error.reason, attempts: error.attempts };
  }
  if (error instanceof GenerationInterruptedError) {
    return { kind: 'interrupted', message: error.message, text: error.partialText, usage: error.usage, model: error.model };
  }
  return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

async function generate(message: Extract<ToThread, { type: 'generate' }>): Promise<void> {
  const { id, request } = message;
  const controller = new AbortController();
  if (message.aborted) controller.abort();
  running.set(id, controller);
  // Events ready in the same turn of this thread's loop go in one message.
  let ready: GenerationEvent[] = [];
  const send = (last: boolean, failure?: SentFailure) => {
    const sent: FromThread = { id, events: ready, last, ...(failure && { failure }) };
    ready = [];
    port.postMessage(sent);
  };
  try {
    for await (const event of generator.generate({ ...request, signal: controller.signal })) {
      if (ready.push(event) === 1) queueMicrotask(() => ready.length > 0 && send(false));
    }
    send(true);
  } catch (error) {
    send(true, failureOf(error));
  } finally {
    running.delete(id);
  }
}

port.on('message', (message: ToThread) => {
  if (message.type === 'abort') running.get(message.id)?.abort();
  else void generate(message);
});
port.postMessage({ ready: true } satisfies ThreadReady);
