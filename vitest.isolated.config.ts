import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * Tests that measure the app's responsiveness (event-loop delay, request latency) run after the rest of the suite,
 * one file at a time, so that other test files do not compete with them for the machine's two cores.
 */
export default defineConfig({
  resolve: base.resolve,
  test: {
    ...base.test,
    include: ['{contracts,command-side,projections,query-side,ops}/**/*.isolated.spec.ts'],
    exclude: ['**/node_modules/**'],
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 600_000,
  },
});
