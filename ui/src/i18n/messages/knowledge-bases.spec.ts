/** The knowledge base messages: the same keys in English and Chinese, and a key for every reason the page names. */
import { describe, expect, it } from 'vitest';
import { FAILURE_REASON_KEYS } from '../../composables/useDocuments';
import { knowledgeBases } from './knowledge-bases';

const keysOf = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([key, inner]) => keysOf(inner, prefix ? `${prefix}.${key}` : key))
    : [prefix];

describe('knowledge base messages', () => {
  it('has the same keys in both languages, none empty', () => {
    expect(keysOf(knowledgeBases.zh).sort()).toEqual(keysOf(knowledgeBases.en).sort());
    for (const locale of [knowledgeBases.en, knowledgeBases.zh]) {
      for (const key of keysOf(locale)) expect(key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], locale)).not.toBe('');
    }
  });

  it('words every status the server uses and every failure reason it recognises', () => {
    for (const status of ['uploaded', 'parsing', 'chunking', 'embedding', 'indexed', 'failed', 'deleted']) {
      expect(knowledgeBases.en.status).toHaveProperty(status);
    }
    for (const key of FAILURE_REASON_KEYS) expect(knowledgeBases.en.failure).toHaveProperty(key);
    expect(Object.keys(knowledgeBases.en.failure).sort()).toEqual([...FAILURE_REASON_KEYS].sort());
  });
});
