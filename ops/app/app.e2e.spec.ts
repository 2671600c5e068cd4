import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/server.ts';

const REGISTER = `mutation($email: String!, $password: String!) {
  register(email: $email, password: $password) { accessToken user { id email role } } }`;

describe('the whole app started like npm start (embedded PGlite, temp DATA_DIR)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
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
});

describe('two api instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([startTestApp({ redis: true }), startTestApp({ redis: true })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('an event published by one instance reaches a subscriber on the other (mqemitter-redis)', async () => {
    const registered = await a.gql<{ register: { accessToken: string; user: { id: string } } }>(REGISTER, {
      email: 'pubsub@example.com',
      password: 'a long enough password',
    });
    expect(registered.errors).toBeUndefined();
    const topic = `redis-fanout-test-${Date.now()}`;
    const received: unknown[] = [];
    a.app.bus.emitter.on(topic, (message, done) => {
      received.push(message.payload);
      done();
    });
    await new Promise((resolve) => setTimeout(resolve, 200)); // Redis SUBSCRIBE is asynchronous
    await b.app.bus.publish(topic, { hello: 'from b' });
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual([{ hello: 'from b' }]);
  });
});
