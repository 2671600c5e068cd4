/**
 * The OpenAI-compatible generator against a real local HTTP server speaking the streaming chat-completions
 * protocol (testing/openai-stub-server.ts): tokens and usage, slow tokens, a stream that dies, 429 then success,
 * no usage, aborts seen by the server, a provider that never answers, a stream that stalls. Every case twice: run on
 * the calling thread, and in a thread of its own (off-thread/off-thread-answer-generator.ts), which must behave the
 * same to its caller.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  GenerationInterruptedError,
  GenerationUnavailableError,
  type AnswerGenerator,
  type GenerationEnd,
  type GenerationRequest,
} from '../../../../contracts/answer-generation.ts';
import { countTokens } from '../../../ingestion/chunking/index.ts';
import { estimatePromptTokens } from '../prompt/prompt-tokens.ts';
import { startOpenAiStubServer, type OpenAiStubServer } from '../testing/openai-stub-server.ts';
import { createOffThreadAnswerGenerator, type ClosableAnswerGenerator } from '../off-thread/off-thread-answer-generator.ts';
import { createOpenAiAnswerGenerator, type OpenAiAnswerGeneratorOptions } from './openai-answer-generator.ts';

let stub: OpenAiStubServer;

beforeAll(async () => {
  stub = await startOpenAiStubServer();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => stub.reset());

const placements = {
  'on the calling thread': createOpenAiAnswerGenerator,
  'in a thread of its own': createOffThreadAnswerGenerator,
} as const;
type Placement = keyof typeof placements;
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
});

const request = (overrides: Partial<GenerationRequest> = {}): GenerationRequest => ({
  question: 'Where is the Eiffel Tower?',
  history: [{ question: 'What is Paris?', answer: 'The capital of France [2].' }],
  passages: [
    { n: 1, documentId: 'd1', documentTitle: 'Landmarks', chunkId: 'c1', text: 'The Eiffel Tower stands in Paris.' },
    { n: 2, documentId: 'd2', documentTitle: 'Cities', chunkId: 'c2', text: 'Paris is the capital of France.' },
  ],
  maxTokens: 200,
  ...overrides,
});

interface Run {
  deltas: string[];
  /** ms since the start at which each delta arrived */
  at: number[];
  end?: GenerationEnd;
  error?: unknown;
  ms: number;
}

/** Reads the whole stream; `onDelta` may abort or stop reading (return false). */
async function run(answers: AnswerGenerator, req: GenerationRequest, onDelta?: (count: number) => boolean | void): Promise<Run> {
  const started = performance.now();
  const result: Run = { deltas: [], at: [], ms: 0 };
  try {
    for await (const event of answers.generate(req)) {
      if (event.type === 'end') {
        result.end = event;
        continue;
      }
      result.deltas.push(event.text);
      result.at.push(performance.now() - started);
      if (onDelta?.(result.deltas.length) === false) break;
    }
  } catch (error) {
    result.error = error;
  }
  result.ms = performance.now() - started;
  return result;
}

describe.each(Object.keys(placements) as Placement[])('OpenAI-compatible answer generator, %s', (placement) => {
  // Started before the question, as the app does: a question must not wait for the thread to load.
  const generator = async (options: Partial<OpenAiAnswerGeneratorOptions> = {}): Promise<AnswerGenerator> => {
    const created: AnswerGenerator & Partial<ClosableAnswerGenerator> = placements[placement]({
      baseURL: stub.baseURL,
      apiKey: 'sk-test',
      model: 'test-chat',
      baseDelayMs: 20,
      maxDelayMs: 500,
      ...options,
    });
    const { start, close } = created;
    if (close) closing.push(close);
    await start?.();
    return created;
  };

  it('streams the tokens, ends with the provider usage, and asks for usage with the prompt', async () => {
    stub.script({ kind: 'stream', tokens: ['It ', 'stands ', 'in ', 'Paris ', '[1].'], usage: { prompt_tokens: 321, completion_tokens: 5 } });
    const result = await run(await generator(), request());
    expect(result.error).toBeUndefined();
    expect(result.deltas).toEqual(['It ', 'stands ', 'in ', 'Paris ', '[1].']);
    expect(result.end).toEqual({
      type: 'end',
      outcome: 'completed',
      model: 'test-chat',
      usage: { promptTokens: 321, completionTokens: 5, reported: true },
      text: 'It stands in Paris [1].',
      finishReason: 'stop',
      cited: [1],
    });

    const [sent] = stub.requests;
    expect(sent!.headers.authorization).toBe('Bearer sk-test');
    expect(sent!.body).toMatchObject({ model: 'test-chat', stream: true, stream_options: { include_usage: true }, max_tokens: 200 });
    const roles = sent!.body.messages.map((message) => message.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'user']);
    expect(sent!.body.messages[0]!.content).toContain('Use only facts stated in the passages');
    const last = sent!.body.messages[3]!.content;
    expect(last).toMatch(/<<<QUESTION ([0-9a-f]{8})>>>\nWhere is the Eiffel Tower\?\n<<<END QUESTION \1>>>/);
    expect(last).toMatch(/<<<PASSAGE \[1\] [0-9a-f]{8}>>>\nDocument: Landmarks\nThe Eiffel Tower stands in Paris\./);
    // History: the earlier question as data, the earlier answer without its old citation.
    expect(sent!.body.messages[2]!.content).toBe('The capital of France.');
    expect(await sent!.settled).toBe('finished');
  });

  it('passes slow tokens on as they come, not all at the end', async () => {
    stub.script({ kind: 'stream', tokens: ['one ', 'two ', 'three ', 'four'], delayMs: 80 });
    const result = await run(await generator(), request());
    expect(result.deltas.join('')).toBe('one two three four');
    const gaps = result.at.slice(1).map((at, i) => at - result.at[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThan(40);
    expect(result.ms - result.at[0]!).toBeGreaterThan(180);
  });

  it('ends a stream that dies midway with the text so far, counted locally, without a retry', async () => {
    stub.script({ kind: 'stream', tokens: ['The ', 'tower ', 'is ', 'in ', 'Paris.'], dieAfter: 2 }, { kind: 'stream', tokens: ['again'] });
    const result = await run(await generator(), request());
    expect(result.deltas).toEqual(['The ', 'tower ']);
    expect(result.error).toBeInstanceOf(GenerationInterruptedError);
    const error = result.error as GenerationInterruptedError;
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.partialText).toBe('The tower ');
    expect(error.model).toBe('test-chat');
    expect(error.usage).toEqual({
      promptTokens: estimatePromptTokens(stub.requests[0]!.body.messages as never),
      completionTokens: countTokens('The tower '),
      reported: false,
    });
    expect(stub.requests).toHaveLength(1);
    expect(await stub.requests[0]!.settled).toBe('destroyed');
  });

  it('retries a connection lost before the first token', async () => {
    stub.script({ kind: 'stream', tokens: ['lost'], dieAfter: 0 }, { kind: 'stream', tokens: ['In ', 'Paris.'] });
    const result = await run(await generator(), request());
    expect(result.error).toBeUndefined();
    expect(result.end?.text).toBe('In Paris.');
    expect(stub.requests).toHaveLength(2);
  });

  it('retries a 429 after the wait the server asks for, then streams', async () => {
    stub.script(
      { kind: 'status', status: 429, message: 'slow down', headers: { 'retry-after-ms': '300' } },
      { kind: 'stream', tokens: ['Paris.'] },
    );
    const result = await run(await generator(), request());
    expect(result.error).toBeUndefined();
    expect(result.end?.text).toBe('Paris.');
    expect(stub.requests).toHaveLength(2);
    expect(result.at[0]).toBeGreaterThanOrEqual(290);
    // Same prompt both times: a retry before the first token is the same request again.
    expect(stub.requests[1]!.body.messages).toEqual(stub.requests[0]!.body.messages);
  });

  it('gives up after the attempts with a typed error naming the last failure', async () => {
    stub.script(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 503, message: 'overloaded' })));
    const result = await run(await generator({ maxAttempts: 3 }), request());
    expect(result.deltas).toEqual([]);
    expect(result.error).toBeInstanceOf(GenerationUnavailableError);
    expect(result.error).toMatchObject({ code: 'UNAVAILABLE', reason: 'provider-error', attempts: 3 });
    expect((result.error as Error).message).toContain('HTTP 503');
    expect(stub.requests).toHaveLength(3);
  });

  it('does not retry what a retry cannot fix (400, 401)', async () => {
    stub.script({ kind: 'status', status: 401, message: 'bad key' });
    const result = await run(await generator(), request());
    expect(result.error).toMatchObject({ reason: 'provider-error', attempts: 1 });
    expect(stub.requests).toHaveLength(1);
  });

  it('counts usage locally when the provider reports none', async () => {
    stub.script({ kind: 'stream', tokens: ['It ', 'is ', 'in ', 'Paris.'], usage: 'none' });
    const answers = await generator();
    const req = request();
    const result = await run(answers, req);
    const promptTokens = estimatePromptTokens(stub.requests[0]!.body.messages as never);
    expect(result.end?.usage).toEqual({ promptTokens, completionTokens: countTokens('It is in Paris.'), reported: false });
    // The reservation made before retrieval covers it.
    expect(answers.estimatePromptTokens(req) + req.maxTokens).toBeGreaterThanOrEqual(promptTokens + result.end!.usage.completionTokens);
  });

  it('aborts the HTTP request when the signal aborts: the server sees the client go, the stream ends stopped', async () => {
    stub.script({ kind: 'stream', tokens: Array.from({ length: 30 }, (_, i) => `t${i} `), delayMs: 40 });
    const controller = new AbortController();
    const result = await run(await generator(), request({ signal: controller.signal }), (count) => {
      if (count === 3) controller.abort();
    });
    expect(result.error).toBeUndefined();
    expect(result.deltas).toEqual(['t0 ', 't1 ', 't2 ']);
    expect(result.end).toMatchObject({ outcome: 'stopped', text: 't0 t1 t2 ', finishReason: null });
    expect(result.end!.usage).toMatchObject({ completionTokens: countTokens('t0 t1 t2 '), reported: false });
    expect(await stub.requests[0]!.settled).toBe('closed-by-client');
    expect(stub.requests[0]!.closedByClient).toBe(true);
  });

  it('aborts the HTTP request when the reader stops reading', async () => {
    stub.script({ kind: 'stream', tokens: Array.from({ length: 30 }, (_, i) => `t${i} `), delayMs: 40 });
    const result = await run(await generator(), request(), (count) => count < 2);
    expect(result.deltas).toHaveLength(2);
    expect(await stub.requests[0]!.settled).toBe('closed-by-client');
  });

  it('gives up on a provider that never answers after the first-token timeout, without retrying', async () => {
    stub.script({ kind: 'hang' }, { kind: 'stream', tokens: ['late'] });
    const result = await run(await generator({ firstTokenTimeoutMs: 300 }), request());
    expect(result.error).toBeInstanceOf(GenerationUnavailableError);
    expect(result.error).toMatchObject({ reason: 'first-token-timeout', attempts: 1 });
    expect(result.ms).toBeGreaterThanOrEqual(290);
    expect(result.ms).toBeLessThan(3000);
    expect(stub.requests).toHaveLength(1);
    expect(await stub.requests[0]!.settled).toBe('closed-by-client');
  });

  it('stops while waiting for the first token: nothing written, no completion tokens', async () => {
    stub.script({ kind: 'hang' });
    const answers = await generator();
    const controller = new AbortController();
    // Stopped once the provider holds the request, however long a loaded machine takes to send it.
    const stopOnceSent = (async () => {
      while (stub.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      controller.abort();
    })();
    const result = await run(answers, request({ signal: controller.signal }));
    await stopOnceSent;
    expect(result.end).toMatchObject({ outcome: 'stopped', text: '', cited: [] });
    expect(result.end!.usage.completionTokens).toBe(0);
    expect(result.ms).toBeLessThan(2000);
    expect(await stub.requests[0]!.settled).toBe('closed-by-client');
  });

  it('treats a stream that stalls after its first token as broken', async () => {
    stub.script({ kind: 'stream', tokens: ['The ', 'tower ', 'is'], stallAfter: 2 });
    const result = await run(await generator({ idleTimeoutMs: 250 }), request());
    expect(result.deltas).toEqual(['The ', 'tower ']);
    expect(result.error).toBeInstanceOf(GenerationInterruptedError);
    expect((result.error as GenerationInterruptedError).partialText).toBe('The tower ');
    expect((result.error as Error).message).toContain('no chunk for 250 ms');
    expect(await stub.requests[0]!.settled).toBe('closed-by-client');
  });

  it('stops at once when the signal aborted before the request: nothing sent, nothing charged', async () => {
    const result = await run(await generator(), request({ signal: AbortSignal.abort() }));
    expect(result.end).toMatchObject({ outcome: 'stopped', usage: { promptTokens: 0, completionTokens: 0, reported: false } });
    expect(stub.requests).toHaveLength(0);
  });
});

describe('OpenAI-compatible answer generator in a thread of its own', () => {
  const options = { apiKey: 'sk-test', model: 'test-chat' };

  it('answers several questions at once, each its own tokens in order, and a thread that ends fails the ones running', async () => {
    const answers = createOffThreadAnswerGenerator({ ...options, baseURL: stub.baseURL });
    closing.push(() => answers.close());
    await answers.start();
    // Each request gets its own answer (a0 a1 …, b0 b1 …): whichever came first, every run reads one of them whole.
    const answersByLetter = ['a', 'b', 'c', 'd', 'e'].map((letter) => Array.from({ length: 20 }, (_, i) => `${letter}${i} `));
    stub.script(...answersByLetter.map((tokens) => ({ kind: 'stream' as const, tokens, delayMs: 5 })));
    const runs = await Promise.all(Array.from({ length: 5 }, () => run(answers, request())));
    for (const result of runs) {
      expect(result.error).toBeUndefined();
      expect(result.end).toMatchObject({ outcome: 'completed', text: result.deltas.join('') });
    }
    expect(runs.map((result) => result.deltas).sort((x, y) => x[0]!.localeCompare(y[0]!))).toEqual(answersByLetter);

    stub.script({ kind: 'stream', tokens: Array.from({ length: 30 }, (_, i) => `t${i} `), delayMs: 40 });
    const ending = run(answers, request(), (count) => {
      if (count === 2) void answers.close();
    });
    const ended = await ending;
    expect(ended.deltas.length).toBeLessThan(30);
    expect(ended.end).toBeUndefined();
    expect((ended.error as Error).message).toMatch(/generation thread ended/);
  });
});
