/**
 * Typed GraphQL documents for the UI, generated from the server's public schema (the only thing of the server the UI
 * depends on): `npm run codegen`. The output (src/graphql/generated) is committed; `npm run check` fails when it is
 * stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'ops/app/public-schema.graphql',
  documents: ['ui/src/**/*.ts', '!ui/src/graphql/generated/**'],
  ignoreNoDocuments: true,
  generates: {
    'ui/src/graphql/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { Micros: 'number' },
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: false,
      },
    },
  },
};

export default config;
