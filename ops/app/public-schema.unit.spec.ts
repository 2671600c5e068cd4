/**
 * The slices together serve exactly the public GraphQL contract: public-schema.graphql is the schema in a canonical
 * form (types and fields sorted), so moving a field between slices changes nothing here, while adding, renaming or
 * dropping one fails until the file is updated on purpose. Outside tests rely on these names (ARCHITECTURE.md).
 */
import { readFile } from 'node:fs/promises';
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { rootSchema } from '../../contracts/graphql/root.ts';
import { APP_SLICES } from './app-slices.ts';
import { schemaOf } from './wire-slices.ts';

describe('the public GraphQL schema', () => {
  it('is what the slices serve together, no more and no less', async () => {
    const served = buildSchema([rootSchema, ...schemaOf(APP_SLICES)].join('\n'));
    const contract = await readFile(new URL('./public-schema.graphql', import.meta.url), 'utf8');
    expect(`${printSchema(lexicographicSortSchema(served))}\n`).toBe(contract);
  });
});
