import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PUBLIC_SCHEMA_SDL } from '../../ops/testing/public-schema.ts';
import { measureQuery, queryLimitErrors, type QueryCost } from './limits.ts';

const schema = buildSchema(PUBLIC_SCHEMA_SDL);

/** The cost of a document's only operation. */
function costOf(query: string): QueryCost {
  const [cost, ...others] = measureQuery(schema, parse(query)).values();
  expect(others).toEqual([]);
  return cost!;
}

/** Fragment F0 spreads F1 twice, F1 spreads F2 twice …: 2^(levels-1) copies of the last one once expanded. */
function billionLaughs(levels: number): string {
  const fragments = Array.from(
    { length: levels - 1 },
    (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
  );
  return `{ ...F0 } ${fragments.join(' ')} fragment F${levels - 1} on Query { me { a: id } }`;
}

describe('query cost', () => {
  it('counts a field selected under several aliases once per alias', () => {
    expect(costOf('{ me { id } }')).toEqual({ depth: 2, complexity: 2, aliases: 0 });
    expect(costOf('{ a: me { id } b: me { id } c: me { x: id } }')).toEqual({ depth: 2, complexity: 6, aliases: 4 });
  });

  it('counts a field repeated without an alias each time, __typename included', () => {
    expect(costOf('{ me { id } me { id } me { id } }').complexity).toBe(6);
    expect(costOf('{ __typename __typename me { __typename } }')).toMatchObject({ complexity: 4, depth: 1 });
  });

  it('counts every spread of a fragment, with its aliases', () => {
    const spreads = Array.from({ length: 7 }, () => '...F').join(' ');
    expect(costOf(`{ ${spreads} } fragment F on Query { me { a: id b: id } }`)).toEqual({
      depth: 2,
      complexity: 21,
      aliases: 14,
    });
  });

  it('multiplies what a list holds by its size, through fragments too', () => {
    expect(costOf('{ knowledgeBases { ...K } } fragment K on KnowledgeBase { id name }').complexity).toBe(21);
    expect(costOf('{ wallet { ledger(limit: 3) { ... on LedgerLine { kind } } } }').complexity).toBe(5);
  });

  it('measures nested fragment fan-out without expanding it', () => {
    // Expanded, 24 levels are 2^23 copies: over 10 s of walking, where memoized fragments take a millisecond.
    const started = performance.now();
    expect(costOf(billionLaughs(24))).toEqual({ depth: 2, complexity: 2 ** 24, aliases: 2 ** 23 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(costOf(billionLaughs(3))).toEqual({ depth: 2, complexity: 8, aliases: 4 });
  });

  it('stops at fragment cycles and unknown fragments (GraphQL validation reports them)', () => {
    const cyclic = '{ ...A } fragment A on Query { me { id } ...B } fragment B on Query { ...A ...Nope }';
    expect(costOf(cyclic).complexity).toBe(2);
  });

  it("counts introspection as one field, so GraphiQL's schema query is cheap, but counts its aliases", () => {
    expect(costOf(getIntrospectionQuery())).toEqual({ depth: 0, complexity: 1, aliases: 0 });
    expect(costOf('{ __schema { a: types { name } b: types { name } } c: __type(name: "Query") { name } }')).toEqual({
      depth: 0,
      complexity: 2,
      aliases: 3,
    });
  });

  it('checks every operation of a document, each against the limits', () => {
    const aliases = Array.from({ length: 3 }, (_, i) => `a${i}: me { id }`).join(' ');
    const errors = queryLimitErrors(schema, parse(`query Small { me { id } } query Wide { ${aliases} }`), {
      maxDepth: 10,
      maxComplexity: 5,
      maxAliases: 2,
    });
    expect(errors.map((e) => [e.extensions.code, e.message])).toEqual([
      ['QUERY_TOO_COMPLEX', 'query complexity 6 exceeds the limit of 5'],
      ['QUERY_TOO_MANY_ALIASES', 'query has 3 aliases, more than the limit of 2'],
    ]);
    expect(errors[1]?.extensions).toMatchObject({ aliases: 3, maxAliases: 2 });
  });

  it('refuses a cost that overflows to Infinity', () => {
    const huge = billionLaughs(40).replace('me { a: id }', `wallet { ledger(limit: ${'9'.repeat(300)}) { a: kind } }`);
    expect(costOf(huge).complexity).toBe(Infinity);
    const errors = queryLimitErrors(schema, parse(huge), {
      maxDepth: 10,
      maxComplexity: 1000,
      maxAliases: 50,
    });
    expect(errors.map((e) => e.extensions.code)).toEqual(['QUERY_TOO_COMPLEX', 'QUERY_TOO_MANY_ALIASES']);
  });
});
