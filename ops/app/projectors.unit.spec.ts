import { describe, expect, it } from 'vitest';
import { CHUNKS_PROJECTOR, createChunksProjector } from '../../projections/chunks/projector.ts';
import { loadConfig } from '../config/config.ts';
import { createProjectors } from './projectors.ts';

describe('the projectors of the app', () => {
  it('has the app store vectors exactly when the dense ranking has weight', () => {
    const chunksProjectorOf = (env: Record<string, string>) =>
      createProjectors(loadConfig(env)).find((projector) => projector.name === CHUNKS_PROJECTOR)!;
    const version = (storeVectors: boolean) => createChunksProjector({ dimensions: 1536, storeVectors }).version;
    expect(chunksProjectorOf({}).version).toBe(version(false));
    expect(chunksProjectorOf({ OPENAI_API_KEY: 'key' }).version).toBe(version(true));
    expect(chunksProjectorOf({ SEARCH_DENSE_WEIGHT: '0.5' }).version).toBe(version(true));
    expect(chunksProjectorOf({ OPENAI_API_KEY: 'key', SEARCH_DENSE_WEIGHT: '0' }).version).toBe(version(false));
  });
});
