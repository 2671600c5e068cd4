/**
 * The stub speaks the protocol as the openai client and plain fetch see it: SSE chunks opening with the role,
 * usage only when asked for, plain JSON without `stream`, OpenAI-shaped errors.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from './openai-stub-server.ts';

let stub: OpenAiStubServer;
let client: OpenAI;

beforeAll(async () => {
  stub = await startOpenAiStubServer({ fallback: { kind: 'stream', tokens: ['Hel', 'lo'], usage: { prompt_tokens: 7, completion_tokens: 2 } } });
  client = new OpenAI({ baseURL: stub.baseURL, apiKey: 'sk-stub', maxRetries: 0 });
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => stub.reset());

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('OpenAI stub server', () => {
  it('streams chunks that open with the role, end with a finish reason, and carry usage only when asked for', async () => {
    const withUsage = await client.chat.completions.create({ model: 'm', messages, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of withUsage) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello');
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } });

    const without = await client.chat.completions.create({ model: 'm', messages, stream: true });
    for await (const chunk of without) expect(chunk.usage ?? undefined).toBeUndefined();
    expect(stub.requests.map((request) => request.body.stream_options?.include_usage)).toEqual([true, undefined]);
  });

  it('answers plain JSON when not streaming', async () => {
    const completion = await client.chat.completions.create({ model: 'm', messages });
    expect(completion.choices[0]!.message.content).toBe('Hello');
    expect(completion.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 2 });
  });

  it('answers scripted errors and unknown routes in OpenAI error shape', async () => {
    stub.script({ kind: 'status', status: 429, message: 'slow down', headers: { 'retry-after': '1' } });
    const error = await client.chat.completions.create({ model: 'm', messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('1');
    const response = await fetch(`${stub.baseURL}/models`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { message: 'no route GET /v1/models' } });
  });
});
