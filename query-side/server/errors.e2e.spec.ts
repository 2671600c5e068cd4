import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, testResolvers, type TestServer } from './server.testing.ts';

describe('GraphQL error mapping and the Micros scalar over HTTP', () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer({ resolvers: [testResolvers] });
    admin = await server.tokens.issueAccessToken({ id: 'admin-1', role: 'admin', email: 'admin@example.com' });
  });
  afterAll(async () => server.close());

  it('maps a DomainError to its code, message and details', async () => {
    const result = await server.gql('{ turn(id: "t-9") { id } }');
    expect(result.status).toBe(200);
    expect(result.errors?.[0]).toMatchObject({
      message: 'no turn t-9',
      path: ['turn'],
      extensions: { code: 'NOT_FOUND', turnId: 't-9' },
    });
  });

  it('turns an unexpected error into INTERNAL without leaking its message', async () => {
    const result = await server.gql('{ conversations { id } }');
    expect(result.codes).toEqual(['INTERNAL']);
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(result.errors?.[0]?.message).toBe('Internal server error');
  });

  it('keeps GraphQL validation and syntax errors as GraphQL reports them, with a code', async () => {
    const unknownField = await server.gql('{ me { id nope } }');
    expect(unknownField.codes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(unknownField.errors?.[0]?.message).toContain('Cannot query field "nope" on type "User"');
    const syntax = await server.gql('{ me { id ');
    expect(syntax.codes).toEqual(['GRAPHQL_PARSE_FAILED']);
    const missingVariable = await server.gql('query ($id: ID!) { turn(id: $id) { id } }', {});
    expect(missingVariable.codes).toEqual(['BAD_USER_INPUT']);
  });

  it('serves queries over GET, refuses mutations over GET with a GraphQL-shaped 405', async () => {
    const get = (query: string) => fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}`);
    const query = await get('{ me { id } }');
    expect(query.status).toBe(200);
    expect(await query.json()).toEqual({ data: { me: null } });
    const mutation = await get('mutation { login(email: "a@example.com", password: "p") { accessToken } }');
    expect(mutation.status).toBe(405);
    const body = (await mutation.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['METHOD_NOT_ALLOWED']);
  });

  it('FORBIDDEN for a member on an admin-only field; UNAUTHENTICATED when anonymous', async () => {
    const member = await server.tokens.issueAccessToken({ id: 'm-1', role: 'member', email: 'm@example.com' });
    const deposit = 'mutation { deposit(userId: "u", amount: 5, reference: "r") { balance } }';
    expect((await server.gql(deposit, {}, member)).codes).toEqual(['FORBIDDEN']);
    expect((await server.gql(deposit)).codes).toEqual(['UNAUTHENTICATED']);
    expect((await server.gql('{ wallet(userId: "someone-else") { balance } }', {}, member)).codes).toEqual([
      'FORBIDDEN',
    ]);
  });

  describe('Micros', () => {
    const byVariable = 'mutation ($amount: Micros!) { deposit(userId: "u", amount: $amount, reference: "r") { balance available } }';

    it.each([
      [5, 5],
      ['5', 5],
      [' 1500000 ', 1_500_000],
      [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ])('accepts %j as a variable and returns a JSON number', async (amount, expected) => {
      const result = await server.gql<{ deposit: { balance: number } }>(byVariable, { amount }, admin);
      expect(result.errors).toBeUndefined();
      expect(result.data?.deposit.balance).toBe(expected);
    });

    it.each([1.5, '1.5', 'ten', '', 2 ** 60, '9007199254740993', true])('rejects %j as a variable', async (amount) => {
      const result = await server.gql(byVariable, { amount }, admin);
      expect(result.codes).toEqual(['BAD_USER_INPUT']);
      expect(result.data ?? null).toBeNull();
    });

    it('accepts int and string literals, rejects float literals', async () => {
      const literal = (value: string) =>
        server.gql<{ deposit: { balance: number } }>(
          `mutation { deposit(userId: "u", amount: ${value}, reference: "r") { balance } }`,
          {},
          admin,
        );
      expect((await literal('7')).data?.deposit.balance).toBe(7);
      expect((await literal('"8"')).data?.deposit.balance).toBe(8);
      expect((await literal('1.5')).codes).toEqual(['BAD_USER_INPUT']);
      expect((await literal('"x"')).codes).toEqual(['BAD_USER_INPUT']);
    });
  });
});
