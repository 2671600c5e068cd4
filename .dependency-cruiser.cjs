/**
 * Dependency boundaries of ARCHITECTURE.md, checked on every `npm test`:
 * contracts imports nothing of ours and no Node/I-O; nothing imports ui; command-side and projections never import
 * each other or the query side; no cycles anywhere. ops is the top layer only: the composition root (ops/app) maps
 * the configuration to plain options and hands each part its ports (the SQL port is contracts/sql.ts, like the
 * event store's), so no product code imports ops, neither its config nor its drivers.
 */
// Test files are composition roots of their own: they may take fixtures and builders from any layer.
const SPEC = '\\.spec\\.ts$';
// Test code: spec files, test helpers (*.testing.ts) and testing/ folders. It may wire real databases and apps.
const TEST = '\\.spec\\.ts$|\\.testing\\.ts$|/testing/';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'contracts-are-pure',
      comment: 'contracts/ holds types, schemas and SDL only (and OpenTelemetry API helpers: a no-op facade without an SDK)',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { pathNot: '^contracts/|^node_modules/(zod|graphql|@opentelemetry/api)/' },
    },
    {
      name: 'contracts-no-node-builtins',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { dependencyTypes: ['core'] },
    },
    { name: 'nothing-imports-ui', severity: 'error', from: { pathNot: '^ui/' }, to: { path: '^ui/' } },
    {
      name: 'ui-depends-on-the-schema-only',
      comment: 'the web app knows the server only through the public schema (codegen reads ops/app/public-schema.graphql)',
      severity: 'error',
      from: { path: '^ui/', pathNot: SPEC },
      to: { pathNot: '^ui/|^node_modules/|^@graphql-typed-document-node/core$' }, // that package is types only
    },
    {
      name: 'command-side-inward-only',
      severity: 'error',
      from: { path: '^command-side/', pathNot: SPEC },
      to: { path: '^(query-side|projections)/' },
    },
    {
      name: 'projections-inward-only',
      severity: 'error',
      from: { path: '^projections/', pathNot: SPEC },
      to: { path: '^(query-side|command-side)/' },
    },
    {
      name: 'query-side-no-command-internals',
      comment: 'the query side dispatches commands through handlers injected by the composition root (ops/app)',
      severity: 'error',
      from: { path: '^query-side/', pathNot: SPEC },
      to: { path: '^command-side/' },
    },
    {
      name: 'ops-is-the-top-layer',
      comment: 'product code gets its options and ports from the composition root (ops/app), never from ops itself',
      severity: 'error',
      from: { path: '^(contracts|command-side|projections|query-side)/', pathNot: TEST },
      to: { path: '^ops/' },
    },
    {
      name: 'tests-use-ops-testing-only',
      comment: 'test code outside ops starts databases and apps through ops/testing, not through drivers or config',
      severity: 'error',
      from: { path: '^(contracts|command-side|projections|query-side)/.*(' + TEST + ')' },
      to: { path: '^ops/', pathNot: '^ops/testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: 'node_modules' },
  },
};
