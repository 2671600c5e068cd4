import { describe, expect, it } from 'vitest';
import { createEmbedder } from './create-embedder.ts';

const options = { model: 'text-embedding-v2', dimensions: 1536, batchSize: 10, maxRetries: 4 };

describe('the embedder a deployment asks for', () => {
  it('is the local embedder without a base URL and an API key, at the asked dimensions', () => {
    expect(createEmbedder({ ...options, dimensions: 384 })).toMatchObject({
      kind: 'local',
      dimensions: 384,
      model: 'local-hashed-ngrams-v1-384',
    });
  });

  it('is the OpenAI-compatible embedder with either of them, named by its model', () => {
    expect(createEmbedder({ ...options, apiKey: 'sk-x', model: 'text-embedding-3-small' })).toMatchObject({
      kind: 'remote',
      model: 'text-embedding-3-small',
      dimensions: 1536,
    });
    expect(createEmbedder({ ...options, baseUrl: 'http://127.0.0.1:11434/v1' }).kind).toBe('remote');
  });
});
