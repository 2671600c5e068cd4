import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{contracts,command-side,projections,query-side,ops}/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more workers only contend for them; PGlite tests are memory hungry.
    maxWorkers: 2,
    globalSetup: ['ops/testing/global-setup.ts'],
  },
});
