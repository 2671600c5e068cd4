/**
 * The OpenAI-compatible embedder against a real HTTP server speaking the embeddings protocol (started here on a
 * free port), with scripted failures.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAiEmbedder } from './openai-embedder.ts';

interface Received {
  authorization: string | undefined;
  body: { model: string; input: string[]; dimensions?: number; encoding_format?: string };
}

const DIMENSIONS = 8;
let server: Server;
let baseURL: string;
let received: Received[] = [];
/** Statuses to answer before answering normally, consumed one per request. */
let failures: Array<{ status: number; headers?: Record<string, string> }> = [];

/** A vector that encodes the text, so the test can tell which text a vector belongs to. */
const vectorOf = (text: string) => Array.from({ length: DIMENSIONS }, (_, i) => text.length + i / 10);

async function handle(request: IncomingMessage, response: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'];
  received.push({ authorization: request.headers.authorization, body });
  const failure = failures.shift();
  if (request.url !== '/v1/embeddings') {
    response.writeHead(404).end();
  } else if (failure) {
    response.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
    response.end(JSON.stringify({ error: { message: `scripted ${failure.status}`, type: 'server_error' } }));
  } else {
    // Deliberately out of order: clients must sort by index.
    const data = body.input.map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text) })).reverse();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ object: 'list', model: body.model, data, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  }
}

const sleeps: number[] = [];
const embedder = (options: { batchSize?: number; maxRetries?: number } = {}) =>
  createOpenAiEmbedder({
    baseURL,
    apiKey: 'sk-test',
    model: 'text-embedding-test',
    dimensions: DIMENSIONS,
    baseDelayMs: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });

beforeAll(async () => {
  server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  failures = [];
  sleeps.length = 0;
});

describe('OpenAI-compatible embedder', () => {
  it('sends the model, dimensions and float encoding with the key, in batches, and keeps input order', async () => {
    const texts = Array.from({ length: 25 }, (_, i) => 'x'.repeat(i + 1));
    const vectors = await embedder({ batchSize: 10 }).embed(texts);
    expect(received.map((r) => r.body.input.length)).toEqual([10, 10, 5]);
    expect(received[0]).toMatchObject({
      authorization: 'Bearer sk-test',
      body: { model: 'text-embedding-test', dimensions: DIMENSIONS, encoding_format: 'float' },
    });
    expect(vectors).toHaveLength(25);
    vectors.forEach((vector, i) => {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(Array.from(vector)).toEqual(Array.from(Float32Array.from(vectorOf(texts[i]!))));
    });
    expect(await embedder().embed([])).toEqual([]);
  });

  it('retries a 429 (honouring Retry-After) and then succeeds', async () => {
    failures = [{ status: 429, headers: { 'retry-after': '2' } }, { status: 503 }];
    const vectors = await embedder().embed(['hello']);
    expect(vectors).toHaveLength(1);
    expect(received).toHaveLength(3);
    expect(sleeps[0]).toBe(2000);
    // Second wait: exponential backoff with jitter, 50%..100% of 2 * 100 ms.
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after the bounded retries of 500s, with a reason a person can read', async () => {
    failures = Array.from({ length: 10 }, () => ({ status: 500 }));
    await expect(embedder({ maxRetries: 2 }).embed(['hello'])).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/unavailable after 3 attempts \(HTTP 500/),
    });
    expect(received).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('does not retry a client error such as a bad key', async () => {
    failures = [{ status: 401 }];
    await expect(embedder().embed(['hello'])).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/HTTP 401/),
    });
    expect(received).toHaveLength(1);
  });

  it('fails clearly when the model returns another dimension than configured', async () => {
    const wrong = createOpenAiEmbedder({ baseURL, apiKey: 'k', model: 'm', dimensions: DIMENSIONS + 1 });
    await expect(wrong.embed(['hello'])).rejects.toThrow(/returned 8 dimensions, configured EMBEDDING_DIMENSIONS is 9/);
  });

  it('retries when the server cannot be reached', async () => {
    const unreachable = createOpenAiEmbedder({
      baseURL: 'http://127.0.0.1:9/v1',
      apiKey: 'k',
      model: 'm',
      dimensions: DIMENSIONS,
      maxRetries: 1,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    await expect(unreachable.embed(['hello'])).rejects.toThrow(/unavailable after 2 attempts/);
    expect(sleeps).toHaveLength(1);
  });
});
