/** The knowledge base messages name every status and failure reason (both languages, keys used: messages.spec.ts). */
import { describe, expect, it } from 'vitest';
import { FAILURE_REASON_KEYS } from '../../composables/useDocuments';
import { knowledgeBases } from './knowledge-bases';

describe('knowledge base messages', () => {
  it('words every status the server uses and every failure reason it recognises', () => {
    for (const status of ['uploaded', 'parsing', 'chunking', 'embedding', 'indexed', 'failed', 'deleted']) {
      expect(knowledgeBases.en.status).toHaveProperty(status);
    }
    for (const key of FAILURE_REASON_KEYS) expect(knowledgeBases.en.failure).toHaveProperty(key);
    expect(Object.keys(knowledgeBases.en.failure).sort()).toEqual([...FAILURE_REASON_KEYS].sort());
  });
});
