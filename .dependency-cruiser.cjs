/**
 * Dependency boundaries of docs/ARCHITECTURE.md ("Layers and the import rule"), checked on every `npm test`:
 * contracts imports nothing of ours and no Node/I-O; nothing imports ui; command-side and projections never import
 * each other or the query side; no cycles anywhere. ops is the composition root and shared infrastructure
 * (config, sql, telemetry): anyone may use ops/config, ops/sql, ops/observability; only ops itself wires the app.
 */
// Test files are composition roots of their own: they may take fixtures and builders from any layer.
const SPEC = '\\.spec\\.ts$';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'contracts-are-pure',
      comment: 'contracts/ holds types, schemas and SDL only',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { pathNot: '^contracts/|^node_modules/(zod|graphql)/' },
    },
    {
      name: 'contracts-no-node-builtins',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { dependencyTypes: ['core'] },
    },
    { name: 'nothing-imports-ui', severity: 'error', from: { pathNot: '^ui/' }, to: { path: '^ui/' } },
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
      name: 'only-ops-wires-the-app',
      severity: 'error',
      from: { path: '^(contracts|command-side|projections|query-side)/' },
      to: { path: '^ops/', pathNot: '^ops/(config|sql|observability|testing)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: 'node_modules' },
  },
};
