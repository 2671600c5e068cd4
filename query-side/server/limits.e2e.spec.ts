import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolverMap } from './context.ts';
import { startTestServer, testResolvers, type TestServer } from './server.testing.ts';

describe('query depth, complexity and body size limits', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({
      resolvers: [testResolvers],
      maxDepth: 3,
      maxComplexity: 60,
      bodyLimitBytes: 16 * 1024,
    });
    token = await server.tokens.issueAccessToken({ id: 'u1', role: 'member', email: 'u1@example.com' });
  });
  afterAll(async () => server.close());

  it('runs a query within the depth limit', async () => {
    const result = await server.gql('{ wallet { ledger { kind } } }', {}, token);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ wallet: { ledger: [] } });
  });

  it('refuses a query deeper than the limit before running it, also through fragments', async () => {
    const direct = await server.gql('{ conversations { turns { citations { n } } } }');
    expect(direct.codes).toContain('QUERY_TOO_DEEP');
    expect(direct.errors?.map((e) => e.message)).toContain('query depth 4 exceeds the limit of 3');
    const viaFragments = await server.gql(`
      query { conversations { ...C } }
      fragment C on Conversation { turns { ...T } }
      fragment T on Turn { citations { n } }`);
    expect(viaFragments.codes).toContain('QUERY_TOO_DEEP');
    expect(viaFragments.codes).not.toContain('INTERNAL');
    // Nothing ran: the conversations resolver would have failed with INTERNAL.
    expect(viaFragments.data ?? null).toBeNull();
  });

  it("does not count introspection, so GraphiQL's schema query works", async () => {
    const result = await server.gql<{ __schema: { types: unknown[] } }>(getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
    expect(result.data?.__schema.types.length).toBeGreaterThan(10);
  });

  it('refuses a query over the complexity limit; list sizes come from `limit`', async () => {
    expect((await server.gql('{ knowledgeBases { id name } }')).errors).toBeUndefined(); // 1 + 10 + 10
    expect((await server.gql('{ wallet { ledger(limit: 2) { kind amount } } }', {}, token)).errors).toBeUndefined();
    const wide = await server.gql('{ wallet { ledger(limit: 100) { kind amount } } }', {}, token);
    expect(wide.codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect(wide.errors?.[0]?.extensions).toMatchObject({ complexity: 202, maxComplexity: 60 });
    const nested = await server.gql('{ conversations { id turns { id } } }');
    expect(nested.codes).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('answers a body over BODY_LIMIT_BYTES with 413 and a GraphQL error PAYLOAD_TOO_LARGE', async () => {
    const padding = `# ${'x'.repeat(20 * 1024)}\n`;
    const result = await server.gql(`${padding}{ me { id } }`);
    expect(result.status).toBe(413);
    expect(result.codes).toEqual(['PAYLOAD_TOO_LARGE']);
    // A body just under the limit is fine.
    const fits = await server.gql(`# ${'x'.repeat(8 * 1024)}\n{ me { id } }`);
    expect(fits.status).toBe(200);
    expect(fits.data).toEqual({ me: null });
  });

  it('answers malformed JSON with a GraphQL-shaped 400', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });
});

/** The test resolvers, counting their calls: a refused query must not have run any. */
function countingResolvers() {
  const calls = { count: 0 };
  const counted = (fields: object) =>
    Object.fromEntries(
      Object.entries(fields).map(([name, resolve]) => [
        name,
        (...args: unknown[]) => {
          calls.count += 1;
          return (resolve as (...a: unknown[]) => unknown)(...args);
        },
      ]),
    );
  const resolvers: ResolverMap = {
    ...testResolvers,
    Query: counted(testResolvers.Query as object),
    Mutation: counted(testResolvers.Mutation as object),
  };
  return { resolvers, calls };
}

const aliased = (n: number, selection: string) => Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ');

describe('aliases, repeated fields, fragments and batches, with the default limits', () => {
  let server: TestServer;
  let admin: string;
  const { resolvers, calls } = countingResolvers();
  beforeAll(async () => {
    server = await startTestServer({ resolvers: [resolvers] }); // complexity 1000; aliases: the default, 50
    admin = await server.tokens.issueAccessToken({ id: 'admin', role: 'admin', email: 'admin@example.com' });
  });
  afterAll(async () => server.close());

  /** Runs a query that must be refused whole: HTTP 400, no data at all, and no resolver called. */
  async function refused(query: string, token?: string) {
    const before = calls.count;
    const result = await server.gql(query, {}, token);
    expect(result.status).toBe(400);
    expect(result.data ?? null).toBeNull();
    expect(calls.count).toBe(before);
    return result;
  }

  it('answers 50 aliases and refuses 51 with QUERY_TOO_MANY_ALIASES', async () => {
    const fifty = await server.gql<Record<string, unknown>>(`{ ${aliased(50, 'me { id }')} }`, {}, admin);
    expect(fifty.errors).toBeUndefined();
    expect(Object.keys(fifty.data ?? {})).toHaveLength(50);
    const over = await refused(`{ ${aliased(51, 'me { id }')} }`, admin);
    expect(over.codes).toEqual(['QUERY_TOO_MANY_ALIASES']);
    expect(over.errors?.[0]?.extensions).toMatchObject({ aliases: 51, maxAliases: 50 });
  });

  it('refuses 1,000 aliases of `me` as too complex and too aliased, running nothing', async () => {
    const result = await refused(`{ ${aliased(1000, 'me { id }')} }`, admin);
    expect(result.codes).toEqual(['QUERY_TOO_COMPLEX', 'QUERY_TOO_MANY_ALIASES']);
    expect(result.errors?.[0]?.extensions).toMatchObject({ complexity: 2000 });
  });

  it('refuses aliased mutations whole: no deposit is made', async () => {
    const deposit = 'deposit(userId: "u1", amount: 1, reference: "r") { balance }';
    const before = calls.count;
    const fifty = await server.gql<Record<string, unknown>>(`mutation { ${aliased(50, deposit)} }`, {}, admin);
    expect(Object.keys(fifty.data ?? {})).toHaveLength(50);
    expect(calls.count).toBe(before + 50);
    const result = await refused(`mutation { ${aliased(51, deposit)} }`, admin);
    expect(result.codes).toEqual(['QUERY_TOO_MANY_ALIASES']);
  });

  it('counts a field repeated without an alias, __typename included, each time', async () => {
    // 600 × (me + __typename) = 1,200: each copy is a field GraphQL validates and merges.
    const result = await refused(`{ ${Array.from({ length: 600 }, () => 'me { __typename }').join(' ')} }`, admin);
    expect(result.codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect(result.errors?.[0]?.extensions).toMatchObject({ complexity: 1200 });
  });

  it("refuses before GraphQL's own validation, whose cost grows with the square of repeated fields", async () => {
    // A 20 kB query that is also invalid: only the limit is reported, so validation never ran.
    const query = `{ nope ${Array.from({ length: 2000 }, () => 'me { id }').join(' ')} }`;
    expect(query.length).toBeGreaterThan(20_000);
    const result = await refused(query, admin);
    expect(result.codes).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('counts every spread of a fragment, also in nested fan-out (billion laughs)', async () => {
    const spreads = Array.from({ length: 600 }, () => '...M').join(' ');
    const flat = await refused(`{ ${spreads} } fragment M on Query { me { id } }`, admin);
    expect(flat.codes).toEqual(['QUERY_TOO_COMPLEX']);
    // 2^23 copies of `me { id }` once expanded.
    const levels = Array.from({ length: 23 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
    const laughs = await refused(`{ ...F0 } ${levels.join(' ')} fragment F23 on Query { me { id } }`, admin);
    expect(laughs.codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect(laughs.errors?.[0]?.extensions).toMatchObject({ complexity: 2 ** 24 });
  });

  it('applies the limits to GET queries too', async () => {
    const query = encodeURIComponent(`{ ${aliased(51, '__typename')} }`);
    const response = await fetch(`${server.url}/graphql?query=${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { data: unknown; errors: { extensions: { code: string } }[] };
    expect(body.data).toBeNull();
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['QUERY_TOO_MANY_ALIASES']);
  });

  it('applies the limits to a query sent as a JSON-encoded AST, which mercurius also accepts', async () => {
    const field = (i: number) => ({
      kind: 'Field',
      alias: { kind: 'Name', value: `a${i}` },
      name: { kind: 'Name', value: 'me' },
      selectionSet: { kind: 'SelectionSet', selections: [{ kind: 'Field', name: { kind: 'Name', value: 'id' } }] },
    });
    const operation = (selectionSet?: unknown) => {
      const definition = { kind: 'OperationDefinition', operation: 'query', selectionSet };
      return JSON.stringify({ kind: 'Document', definitions: [definition] });
    };
    const selections = Array.from({ length: 51 }, (_, i) => field(i));
    const ast = await refused(operation({ kind: 'SelectionSet', selections }), admin);
    expect(ast.codes).toEqual(['QUERY_TOO_MANY_ALIASES']);
    // One the limits cannot walk is refused rather than run unmeasured.
    expect((await refused(operation(), admin)).codes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses a batch (a JSON array of operations): batching is off', async () => {
    const before = calls.count;
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify(Array.from({ length: 30 }, () => ({ query: `{ ${aliased(50, 'me { id }')} }` }))),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { data: unknown; errors: { extensions: { code: string } }[] };
    expect(body.data).toBeNull();
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(calls.count).toBe(before);
  });
});

describe('the same rules on WebSocket subscriptions', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({ resolvers: [testResolvers], maxDepth: 2, maxComplexity: 60 });
    token = await server.tokens.issueAccessToken({ id: 'u1', role: 'member', email: 'u1@example.com' });
  });
  afterAll(async () => server.close());

  const failure = async (query: string) => {
    const subscription = server.subscribe(query, {}, { token });
    return subscription.done.then(
      () => 'completed',
      (error: unknown) => String(error),
    );
  };

  it('refuses a subscription over the depth limit', async () => {
    expect(await failure('subscription { walletUpdated { ledger { kind } } }')).toContain('QUERY_TOO_DEEP');
  });

  it('refuses a subscription over the complexity limit', async () => {
    const aliases = Array.from({ length: 70 }, (_, i) => `a${i}: userId`).join(' ');
    expect(await failure(`subscription { walletUpdated { ${aliases} } }`)).toContain('QUERY_TOO_COMPLEX');
  });

  it('refuses a subscription with more aliases than the limit', async () => {
    const aliases = aliased(51, 'userId'); // complexity 52, within 60
    expect(await failure(`subscription { walletUpdated { ${aliases} } }`)).toContain('QUERY_TOO_MANY_ALIASES');
  });

  it('refuses an invalid subscription document', async () => {
    expect(await failure('subscription { walletUpdated { nope } }')).toContain('GRAPHQL_VALIDATION_FAILED');
  });

  it('gives the same text the same verdict every time (verdicts are kept per text)', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await failure('subscription { walletUpdated { ledger { kind } } }')).toContain('QUERY_TOO_DEEP');
      expect(await failure('subscription { walletUpdated { nope } }')).toContain('GRAPHQL_VALIDATION_FAILED');
    }
    // A text past the kept length is checked each time all the same.
    const long = `subscription { walletUpdated { nope ${' '.repeat(5000)} } }`;
    for (let i = 0; i < 2; i++) expect(await failure(long)).toContain('GRAPHQL_VALIDATION_FAILED');
  });
});
