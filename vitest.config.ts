import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module). Node (tsx, mercurius) loads the CJS one; Vite would give our
    // imports the ESM one, and two graphql instances break instanceof checks ("from another module or realm").
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['{contracts,command-side,projections,query-side,ops}/**/*.spec.ts', 'ui/src/**/*.spec.ts'],
    // Responsiveness tests run alone afterwards (vitest.isolated.config.ts).
    exclude: ['**/node_modules/**', '**/*.isolated.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more workers only contend for them; PGlite tests are memory hungry.
    maxWorkers: 2,
    globalSetup: ['ops/testing/global-setup.ts'],
  },
});
