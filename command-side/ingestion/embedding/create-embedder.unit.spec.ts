import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../ops/config/config.ts';
import { createEmbedder } from './create-embedder.ts';

describe('embedder from configuration', () => {
  it('is the local embedder without OPENAI_BASE_URL and OPENAI_API_KEY, at EMBEDDING_DIMENSIONS', () => {
    expect(createEmbedder(loadConfig({ EMBEDDING_DIMENSIONS: '384' }))).toMatchObject({
      kind: 'local',
      dimensions: 384,
      model: 'local-hashed-ngrams-v1-384',
    });
  });

  it('is the OpenAI-compatible embedder with either of them, named by EMBEDDING_MODEL', () => {
    expect(createEmbedder(loadConfig({ OPENAI_API_KEY: 'sk-x', EMBEDDING_MODEL: 'text-embedding-3-small' }))).toMatchObject({
      kind: 'remote',
      model: 'text-embedding-3-small',
      dimensions: 1536,
    });
    expect(createEmbedder(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).kind).toBe('remote');
  });
});
