/** The bench's test embedding server answers the product's OpenAI embedder with exactly what its rule computes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiEmbedder } from '../../command-side/ingestion/embedding/openai-embedder.ts';
import { startEmbeddingServer, type EmbeddingServer } from './embedding-server.ts';
import { TEST_EMBEDDING_MODEL, testEmbeddingRule } from './test-embedding-rule.ts';

let server: EmbeddingServer;

beforeAll(async () => {
  server = await startEmbeddingServer(testEmbeddingRule, 32);
});

afterAll(async () => {
  await server?.close();
});

const post = (body: unknown, path = '/embeddings') =>
  fetch(`${server.baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('test embedding server', () => {
  it('serves the rule at the asked dimensions to the OpenAI embedder, in batches, in order', async () => {
    const embedder = createOpenAiEmbedder({ baseURL: server.baseURL, apiKey: 'k', model: TEST_EMBEDDING_MODEL, dimensions: 48, batchSize: 2 });
    const texts = ['Where did Super Bowl 50 take place?', "Levi's Stadium in Santa Clara", '清华大学位于北京'];
    const before = { ...server.stats };
    const vectors = await embedder.embed(texts);
    expect(vectors.map((vector) => Array.from(vector))).toEqual(texts.map((text) => Array.from(testEmbeddingRule(text, 48))));
    expect(server.stats).toEqual({ requests: before.requests + 2, texts: before.texts + 3 });
    const norm = Math.hypot(...vectors[0]!);
    expect(norm).toBeCloseTo(1, 5);
  });

  it('answers base64 when asked, its default dimension without one, and refuses what is not the protocol', async () => {
    const response = await post({ model: 'm', input: 'hello', encoding_format: 'base64' });
    const { data } = (await response.json()) as { data: Array<{ embedding: string }> };
    const bytes = Buffer.from(data[0]!.embedding, 'base64');
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4))).toEqual(
      Array.from(testEmbeddingRule('hello', 32)),
    );
    expect((await post({ input: [1, 2] })).status).toBe(400);
    expect((await post({ input: 'x', dimensions: 0 })).status).toBe(400);
    expect((await post({ input: 'x' }, '/chat/completions')).status).toBe(404);
  });
});
