import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../server/server.testing.ts';

/** src/href values of the page's tags. */
const referencesOf = (html: string): string[] =>
  [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => match[1]!).filter((reference) => !reference.startsWith('data:'));

/** URLs a stylesheet would fetch: url(...) and @import, except inline data: URIs. */
const cssFetches = (css: string): string[] =>
  [...css.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]/g)]
    .map((match) => (match[1] ?? match[2])!)
    .filter((url) => !url.startsWith('data:'));

describe('GraphiQL served offline from our server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('serves the page, and every asset it references loads from our server', async () => {
    const response = await fetch(`${server.url}/graphiql`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    const references = referencesOf(html);
    expect(references.length).toBeGreaterThanOrEqual(6); // css, react, react-dom, graphql-ws, graphiql, setup
    for (const reference of references) {
      expect(reference, `${reference} must be served by us`).toMatch(/^\/graphiql\/assets\//);
      const asset = await fetch(new URL(reference, server.url));
      expect(asset.status, reference).toBe(200);
      const body = await asset.text();
      expect(body.length, reference).toBeGreaterThan(1000);
      if (reference.endsWith('.css')) expect(cssFetches(body)).toEqual([]);
    }
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('forbids the browser to load anything from elsewhere (Content-Security-Policy)', async () => {
    const response = await fetch(`${server.url}/graphiql`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/https?:\/\//);
  });

  it('the bootstrap script talks only to /graphql on the same origin (HTTP and graphql-ws)', async () => {
    const setup = await (await fetch(`${server.url}/graphiql/assets/setup.js`)).text();
    expect(setup).not.toMatch(/https?:\/\//);
    expect(setup).toContain("new URL('/graphql', window.location.href)");
    expect(setup).toContain('graphqlWs.createClient');
  });

  it('answers 404 for unknown assets and does not serve files by path', async () => {
    expect((await fetch(`${server.url}/graphiql/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/graphiql/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('the GraphQL endpoint GraphiQL uses answers introspection', async () => {
    const result = await server.gql<{ __schema: { queryType: { name: string } } }>('{ __schema { queryType { name } } }');
    expect(result.data?.__schema.queryType.name).toBe('Query');
  });
});
