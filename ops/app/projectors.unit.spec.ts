import { describe, expect, it } from 'vitest';
import { CHUNKS_PROJECTOR, createChunksProjector } from '../../projections/chunks/projector.ts';
import { loadConfig } from '../config/config.ts';
import { createProjectors } from './projectors.ts';

describe('the projectors of the app', () => {
  it('has the app store vectors exactly when the dense ranking has weight', () => {
    const chunksProjectorOf = (env: Record<string, string>) =>
      createProjectors(loadConfig(env), { searchIndexVectors: { available: true } }).find(
        (projector) => projector.name === CHUNKS_PROJECTOR,
      )!;
    const version = (storeVectors: boolean) => createChunksProjector({ dimensions: 1536, storeVectors }).version;
    expect(chunksProjectorOf({}).version).toBe(version(false));
    expect(chunksProjectorOf({ OPENAI_API_KEY: 'key' }).version).toBe(version(true));
    expect(chunksProjectorOf({ SEARCH_DENSE_WEIGHT: '0.5' }).version).toBe(version(true));
    expect(chunksProjectorOf({ OPENAI_API_KEY: 'key', SEARCH_DENSE_WEIGHT: '0' }).version).toBe(version(false));
  });

  it('without pgvector builds a lexical index that needs no extension, under a version of its own', () => {
    const chunksProjector = (pgvector: boolean, env: Record<string, string> = {}) =>
      createProjectors(loadConfig(env), { searchIndexVectors: pgvector ? { available: true } : { available: false, reason: 'none' } }).find(
        (projector) => projector.name === CHUNKS_PROJECTOR,
      )!;
    const lexical = chunksProjector(false, { SEARCH_DENSE_WEIGHT: '0.5' });
    expect(lexical.extensions ?? []).toEqual([]);
    expect(lexical.migrations.map((migration) => migration.sql).join('\n')).not.toMatch(/vector\(\d+\)|USING hnsw/);
    expect(chunksProjector(true, { SEARCH_DENSE_WEIGHT: '0.5' }).extensions).toEqual(['vector']);
    // Installing pgvector later changes the version, which rebuilds the index from the log, vectors included; the
    // dense weight makes no difference to a lexical index's rows, so none to its version.
    expect(chunksProjector(false).version).toBe(lexical.version);
    const versions = [lexical, chunksProjector(true), chunksProjector(true, { SEARCH_DENSE_WEIGHT: '0.5' })];
    expect(new Set(versions.map((projector) => projector.version)).size).toBe(3);
  });
});
