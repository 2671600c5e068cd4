import { describe, expect, it } from 'vitest';
import { rerankEndpoint } from './rerank-client.ts';

describe('rerankEndpoint', () => {
  it.each([
    ['http://xinference:9997', 'http://xinference:9997/v1/rerank'],
    ['http://vllm:8000/', 'http://vllm:8000/v1/rerank'],
    ['https://gateway.example.com/ai', 'https://gateway.example.com/ai/v1/rerank'],
    ['https://api.jina.ai/v1', 'https://api.jina.ai/v1/rerank'],
    ['https://api.jina.ai/v1/', 'https://api.jina.ai/v1/rerank'],
    ['https://api.cohere.com/v2', 'https://api.cohere.com/v2/rerank'],
    ['https://api.cohere.com/v2/rerank', 'https://api.cohere.com/v2/rerank'],
    ['http://127.0.0.1:8080/rerank/', 'http://127.0.0.1:8080/rerank'],
  ])('%s -> %s', (base, endpoint) => {
    expect(rerankEndpoint(base)).toBe(endpoint);
  });
});
