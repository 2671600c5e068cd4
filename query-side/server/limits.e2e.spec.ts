import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, testResolvers, type TestServer } from './testing.ts';

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

  it('refuses an invalid subscription document', async () => {
    expect(await failure('subscription { walletUpdated { nope } }')).toContain('GRAPHQL_VALIDATION_FAILED');
  });
});
