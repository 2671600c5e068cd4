import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register } from '../../query-side/resolvers/identity.testing.ts';
import { createKnowledgeBase, upload, waitForStatus } from '../../query-side/upload/upload.testing.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';

const REGISTER = `mutation($email: String!, $password: String!) {
  register(email: $email, password: $password) { accessToken user { id email role } } }`;

describe('the whole app started like npm start (embedded PGlite, temp DATA_DIR)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  }, 180_000);
  afterAll(async () => app.close());

  it('serves /graphql, /graphiql and /healthz with every projector running', async () => {
    expect((await app.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    expect((await fetch(`${app.url}/graphiql`)).status).toBe(200);
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; role: string; projectors: { name: string; status: string }[] };
    expect(body).toMatchObject({ status: 'ok', role: 'all' });
    expect(body.projectors.length).toBeGreaterThan(0);
    for (const projector of body.projectors) expect(['running', 'idle', 'starting']).toContain(projector.status);
  });

  it('exposes Prometheus metrics of HTTP requests and GraphQL operations', async () => {
    await app.gql('query PingForMetrics { __typename }');
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    expect(metrics).toMatch(/graphql_operations_total\{type="query",name="PingForMetrics"\} [1-9]/);
    expect(metrics).toContain('process_cpu_user_seconds_total');
    expect(metrics).toMatch(/projector_up\{projector="[^"]+",status="running"\} 1/);
  });

  it('a restart keeps the data and the sessions (signing key kept under DATA_DIR)', async () => {
    const registered = await app.gql<{ register: { accessToken: string; user: { id: string; email: string } } }>(
      REGISTER,
      { email: 'restart@example.com', password: 'a long enough password' },
    );
    expect(registered.errors).toBeUndefined();
    const { accessToken, user } = registered.data!.register;
    const oldUrl = app.url;
    await app.restart();
    expect(app.url).not.toBe(oldUrl);
    const me = await app.gql<{ me: { id: string; email: string } }>('{ me { id email } }', {}, accessToken);
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toMatchObject({ id: user.id, email: 'restart@example.com' });
  });

  it('keeps three embedded databases apart, and a document found by search stays found after a restart', async () => {
    for (const dir of ['eventstore', 'readmodels', 'searchindex']) {
      expect(existsSync(path.join(app.dataDir, dir, 'PG_VERSION'))).toBe(true);
    }
    const owner = await register(app, 'searcher@example.com');
    const kb = await createKnowledgeBase(app, owner, 'Boilers');
    const bytes = new TextEncoder().encode('# Boiler\n\nBleed the radiator valve before the heating season.\n');
    const { body } = await upload(app, kb, { name: 'boiler.md', bytes }, { token: owner.accessToken });
    await waitForStatus(app, owner.accessToken, body.id!, ['indexed'], 90_000);
    const search = `query($kb: ID!) { search(knowledgeBaseId: $kb, query: "radiator valve") { documentId } }`;
    // "indexed" means searchable: no waiting between the two.
    expect((await app.gql<{ search: { documentId: string }[] }>(search, { kb }, owner.accessToken)).data?.search[0]).toEqual({
      documentId: body.id,
    });
    await app.restart();
    expect((await app.gql<{ search: { documentId: string }[] }>(search, { kb }, owner.accessToken)).data?.search[0]).toEqual({
      documentId: body.id,
    });
  }, 180_000);
});
