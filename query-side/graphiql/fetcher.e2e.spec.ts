/**
 * GraphiQL's fetcher (setup.js) run against the real server: the scripts are fetched from our routes and run in a
 * VM context with real fetch and a real WebSocket; only React's rendering is replaced (there is no DOM here), to
 * capture the props GraphiQL would get.
 */
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, testResolvers, type TestServer } from '../server/server.testing.ts';

type Fetcher = (
  params: { query: string; variables?: Record<string, unknown>; operationName?: string },
  opts?: { headers?: Record<string, string> },
) => Promise<unknown> | { subscribe(observer: { next(v: unknown): void; error(e: unknown): void; complete(): void }): { unsubscribe(): void } };

async function loadGraphiqlFetcher(server: TestServer): Promise<{ fetcher: Fetcher; defaultQuery: string }> {
  let props: { fetcher: Fetcher; defaultQuery: string } | undefined;
  const context = vm.createContext({
    fetch,
    URL,
    WebSocket,
    console,
    setTimeout,
    clearTimeout,
    document: { getElementById: (id: string) => ({ id }) },
    React: { createElement: (_component: unknown, p: typeof props) => p },
    ReactDOM: { createRoot: () => ({ render: (p: typeof props) => (props = p) }) },
    GraphiQL: function GraphiQL() {},
  });
  context.window = context;
  context.window.location = { href: `${server.url}/graphiql` };
  for (const name of ['graphql-ws.min.js', 'setup.js']) {
    const source = await (await fetch(`${server.url}/graphiql/assets/${name}`)).text();
    vm.runInContext(source, context, { filename: name });
  }
  if (!props) throw new Error('setup.js rendered nothing');
  return props;
}

describe("GraphiQL's fetcher against the real server", () => {
  let server: TestServer;
  let graphiql: { fetcher: Fetcher; defaultQuery: string };
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({ resolvers: [testResolvers] });
    graphiql = await loadGraphiqlFetcher(server);
    token = await server.tokens.issueAccessToken({ id: 'u1', role: 'member', email: 'u1@example.com' });
  });
  afterAll(async () => server.close());

  it('sends queries over HTTP with the headers of the Headers tab', async () => {
    const result = await graphiql.fetcher({ query: '{ me { id email } }' }, { headers: { Authorization: `Bearer ${token}` } });
    expect(result).toEqual({ data: { me: { id: 'u1', email: 'u1@example.com' } } });
    expect(await graphiql.fetcher({ query: '{ me { id } }' })).toEqual({ data: { me: null } });
  });

  it('runs subscriptions over graphql-ws, passing Authorization in connection_init', async () => {
    const observable = graphiql.fetcher(
      { query: 'subscription { walletUpdated { userId balance } }' },
      { headers: { Authorization: `Bearer ${token}` } },
    ) as Exclude<ReturnType<Fetcher>, Promise<unknown>>;
    const values: unknown[] = [];
    const subscription = observable.subscribe({
      next: (value) => values.push(value),
      error: (error) => values.push({ error: String(error) }),
      complete: () => undefined,
    });
    const wallet = { walletUpdated: { userId: 'u1', balance: 3, reserved: 0, available: 3, ledger: [] } };
    for (let i = 0; i < 100 && values.length === 0; i++) {
      await server.bus.publish('test-wallet:u1', wallet);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    subscription.unsubscribe();
    expect(values[0]).toEqual({ data: { walletUpdated: { userId: 'u1', balance: 3 } } });
  });

  it('shows a refused subscription as an error result', async () => {
    const observable = graphiql.fetcher(
      { query: 'subscription { walletUpdated { balance } }' },
      { headers: { Authorization: 'Bearer forged' } },
    ) as Exclude<ReturnType<Fetcher>, Promise<unknown>>;
    const result = await new Promise<unknown>((resolve) => {
      observable.subscribe({ next: resolve, error: resolve, complete: () => resolve('completed') });
    });
    expect(JSON.stringify(result)).toMatch(/errors/);
  });

  it('starts with a helpful default document', () => {
    expect(graphiql.defaultQuery).toContain('register(');
    expect(graphiql.defaultQuery).toContain('knowledgeBases');
  });
});
