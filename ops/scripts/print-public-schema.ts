/**
 * `npm run schema`: writes ops/app/public-schema.graphql from what the slices serve (the canonical form the contract
 * test compares), then the web app's typed operations follow with `npm run codegen`.
 */
import { writeFile } from 'node:fs/promises';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { rootSchema } from '../../contracts/graphql/root.ts';
import { APP_SLICES } from '../app/app-slices.ts';
import { schemaOf } from '../app/wire-slices.ts';

const served = buildSchema([rootSchema, ...schemaOf(APP_SLICES)].join('\n'));
await writeFile(new URL('../app/public-schema.graphql', import.meta.url), `${printSchema(lexicographicSortSchema(served))}\n`);
console.log('wrote ops/app/public-schema.graphql');
