/**
 * The OpenAI-compatible generator in a thread of its own (generation-thread.ts). The provider's answer arrives as
 * server-sent events, one per token, each parsed by the openai client through fetch's web streams: on the API thread
 * that took ~17% of its time under the 20-asker chat bench, and a process streaming 500 answers from a real model
 * receives some 25,000 of them a second. Here the API thread receives each turn of the generation thread's loop as
 * one message. The same port, the same events and typed errors as createOpenAiAnswerGenerator; the prompt estimate
 * (needed at `ask`) stays on the calling thread. The thread starts with the first question and ends with close().
 */
import { Worker } from 'node:worker_threads';
import {
  GenerationInterruptedError,
  GenerationUnavailableError,
  type AnswerGenerator,
  type GenerationEvent,
  type GenerationRequest,
} from '../../../../contracts/answer-generation.ts';
import { openAiGeneratorLimits, type OpenAiAnswerGeneratorOptions } from '../openai/openai-answer-generator.ts';
import type { FromThread, SentFailure, ThreadReady, ThreadSetup, ToThread } from './messages.ts';

export interface ClosableAnswerGenerator extends AnswerGenerator {
  /**
   * Starts the thread now, resolving once it takes requests (~0.5 s to load), so that the first question does not
   * wait for it; otherwise it starts with the first question.
   */
  start(): Promise<void>;
  /** Ends the thread; generations still running fail. */
  close(): Promise<void>;
}

function errorOf(failure: SentFailure): Error {
  switch (failure.kind) {
    case 'unavailable':
      return new GenerationUnavailableError(failure.message, failure.reason, failure.attempts);
    case 'interrupted':
      return new GenerationInterruptedError(failure.message, { text: failure.text, usage: failure.usage, model: failure.model });
    case 'other':
      return new Error(failure.message);
  }
}

/** One generation's messages as they arrive, read in order by its iterator. */
class Inbox {
  private readonly arrived: FromThread[] = [];
  private wake: (() => void) | undefined;

  put(message: FromThread): void {
    this.arrived.push(message);
    this.wake?.();
  }

  async take(): Promise<FromThread> {
    while (this.arrived.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    return this.arrived.shift()!;
  }
}

export function createOffThreadAnswerGenerator(options: OpenAiAnswerGeneratorOptions): ClosableAnswerGenerator {
  const inboxes = new Map<number, Inbox>();
  let worker: { thread: Worker; ready: Promise<void> } | undefined;
  let nextId = 1;

  const failAll = (message: string) => {
    for (const [id, inbox] of inboxes) inbox.put({ id, events: [], last: true, failure: { kind: 'other', message } });
  };

  function thread(): { thread: Worker; ready: Promise<void> } {
    if (worker) return worker;
    const started = new Worker(new URL('./thread-entry.mjs', import.meta.url), { workerData: { options } satisfies ThreadSetup });
    let ready!: () => void;
    let failed!: (error: Error) => void;
    const running = { thread: started, ready: new Promise<void>((resolve, reject) => ((ready = resolve), (failed = reject))) };
    running.ready.catch(() => undefined);
    started.on('message', (message: FromThread | ThreadReady) => {
      if ('ready' in message) ready();
      else inboxes.get(message.id)?.put(message);
    });
    started.on('error', (error) => {
      failed(error);
      failAll(`the generation thread failed: ${error.message}`);
    });
    started.on('exit', (code) => {
      if (worker === running) worker = undefined;
      failed(new Error(`the generation thread ended (exit code ${code})`));
      failAll(`the generation thread ended (exit code ${code})`);
    });
    // Idle between questions, it must not keep the process alive.
    started.unref();
    worker = running;
    return running;
  }

  async function* generate(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
    const { signal, ...sent } = request;
    const id = nextId++;
    const inbox = new Inbox();
    inboxes.set(id, inbox);
    const target = thread().thread;
    const post = (message: ToThread) => target.postMessage(message);
    const abort = () => post({ type: 'abort', id });
    let ended = false;
    signal?.addEventListener('abort', abort, { once: true });
    try {
      post({ type: 'generate', id, request: sent, aborted: signal?.aborted ?? false });
      for (;;) {
        const message = await inbox.take();
        for (const event of message.events) yield event;
        if (message.last) {
          ended = true;
          if (message.failure) throw errorOf(message.failure);
          return;
        }
      }
    } finally {
      signal?.removeEventListener('abort', abort);
      inboxes.delete(id);
      // A reader that stops reading: the request must not go on generating unbilled tokens.
      if (!ended) abort();
    }
  }

  return {
    ...openAiGeneratorLimits(options),
    generate,
    start: () => thread().ready,
    async close() {
      const running = worker;
      worker = undefined;
      await running?.thread.terminate();
    },
  };
}
