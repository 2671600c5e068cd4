import { describe, expect, it } from 'vitest';
import { createEmbedder } from '../../command-side/ingestion/embedding/create-embedder.ts';
import { loadConfig } from '../config/config.ts';
import { embedderOptionsOf, quotasOf, rerankOptionsOf, searchSettingsOf } from './settings.ts';

describe('settings from the configuration', () => {
  it('has the local embedder without OPENAI_BASE_URL and OPENAI_API_KEY, at EMBEDDING_DIMENSIONS', () => {
    expect(createEmbedder(embedderOptionsOf(loadConfig({ EMBEDDING_DIMENSIONS: '384' })))).toMatchObject({
      kind: 'local',
      dimensions: 384,
    });
  });

  it('has the OpenAI-compatible embedder with either of them, named by EMBEDDING_MODEL', () => {
    const config = loadConfig({ OPENAI_API_KEY: 'sk-x', EMBEDDING_MODEL: 'text-embedding-3-small' });
    expect(createEmbedder(embedderOptionsOf(config))).toMatchObject({ kind: 'remote', model: 'text-embedding-3-small', dimensions: 1536 });
    expect(createEmbedder(embedderOptionsOf(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }))).kind).toBe('remote');
  });

  it('gives the search its defaults, the configured weights and BM25 parameters, and refuses bad ones', () => {
    expect(searchSettingsOf(loadConfig({}), 'local')).toEqual({
      weights: { lexical: 1, dense: 0 },
      bm25: { k1: 1.2, b: 0.75 },
      candidates: 50,
    });
    expect(searchSettingsOf(loadConfig({}), 'remote').weights).toEqual({ lexical: 1, dense: 0.5 });
    const configured = loadConfig({ SEARCH_DENSE_WEIGHT: '0.3', SEARCH_LEXICAL_WEIGHT: '2', BM25_B: '0.5' });
    expect(searchSettingsOf(configured, 'local')).toMatchObject({ weights: { lexical: 2, dense: 0.3 }, bm25: { b: 0.5 } });
    expect(() => loadConfig({ SEARCH_DENSE_WEIGHT: '-1' })).toThrow(/SEARCH_DENSE_WEIGHT/);
    expect(() => loadConfig({ BM25_B: '2' })).toThrow(/BM25_B/);
  });

  it('has no rerank stage without RERANK_BASE_URL; with it, the defaults or the configured model, key, candidates and timeout', () => {
    expect(rerankOptionsOf(loadConfig({}))).toBeUndefined();
    expect(rerankOptionsOf(loadConfig({ RERANK_BASE_URL: '', RERANK_API_KEY: 'k' }))).toBeUndefined();
    expect(rerankOptionsOf(loadConfig({ RERANK_BASE_URL: 'http://xinference:9997' }))).toEqual({
      baseUrl: 'http://xinference:9997',
      apiKey: undefined,
      model: 'bge-reranker-v2-m3',
      timeoutMs: 2000,
      candidates: 20,
    });
    const configured = loadConfig({
      RERANK_BASE_URL: 'https://api.jina.ai/v1',
      RERANK_API_KEY: 'jina_x',
      RERANK_MODEL: 'jina-reranker-v2-base-multilingual',
      RERANK_CANDIDATES: '50',
      RERANK_TIMEOUT_MS: '500',
    });
    expect(rerankOptionsOf(configured)).toMatchObject({ apiKey: 'jina_x', model: 'jina-reranker-v2-base-multilingual', candidates: 50, timeoutMs: 500 });
    expect(() => loadConfig({ RERANK_BASE_URL: 'api.jina.ai/v1' })).toThrow(/RERANK_BASE_URL/);
    expect(() => loadConfig({ RERANK_CANDIDATES: '51' })).toThrow(/RERANK_CANDIDATES/);
    expect(() => loadConfig({ RERANK_TIMEOUT_MS: '0' })).toThrow(/RERANK_TIMEOUT_MS/);
  });

  it('has quotas whose defaults leave room for the benchmarks; 0 means no limit', () => {
    expect(quotasOf(loadConfig({}))).toEqual({ documentsInFlight: 500, bytesStored: 1024 ** 3, knowledgeBases: 10_000, apiKeys: 100 });
    const none = quotasOf(loadConfig({ QUOTA_DOCUMENTS_IN_FLIGHT: '0', QUOTA_BYTES_STORED: '0', QUOTA_KNOWLEDGE_BASES: '0', QUOTA_API_KEYS: '0' }));
    expect(none).toEqual({ documentsInFlight: 0, bytesStored: 0, knowledgeBases: 0, apiKeys: 0 });
    expect(() => loadConfig({ QUOTA_BYTES_STORED: '-1' })).toThrow(/QUOTA_BYTES_STORED/);
  });
});
