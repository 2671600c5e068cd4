/**
 * One trace follows a question: the `ask` mutation, every saga step, retrieval, the provider call and each read
 * model's commit of the turn's events, exported over OTLP (HTTP/JSON) to a real receiver started here. The whole app
 * runs in this process (embedded default) against the OpenAI-protocol stub.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { ASK, createKnowledgeBase, DEPOSIT, finishedTurn, ok, settledWallet, startAppWithChatStub, type TurnResult } from '../../query-side/resolvers/chat.testing.ts';
import { register } from '../../query-side/resolvers/identity.testing.ts';
import type { TestApp } from '../testing/server.ts';
import { startTracing, type Tracing } from './tracing.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}
interface OtlpTraces {
  resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const CLIENT_SPAN = 'eee19b7ec3c1b174';
const MODEL = 'stub-chat';

describe('a question traced end to end (OTLP)', () => {
  const exported: OtlpSpan[] = [];
  const receiver = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces;
        for (const resource of body.resourceSpans ?? []) for (const scope of resource.scopeSpans ?? []) exported.push(...(scope.spans ?? []));
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  let tracing: Tracing | undefined;
  let stub: OpenAiStubServer;
  let app: TestApp;

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    // The SDK reads its OTEL_* variables itself; JSON so that the test reads what a collector would.
    Object.assign(process.env, {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    tracing = await startTracing({ endpoint });
    stub = await startOpenAiStubServer();
    app = await startAppWithChatStub(stub.baseURL, MODEL, { promptPer1k: 1000, completionPer1k: 2000 });
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await stub?.close();
    await tracing?.shutdown();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('links the mutation, each saga step, retrieval, the provider call and the projections in one trace', async () => {
    const admin = await register(app, 'admin@example.com');
    const alice = await register(app, 'alice@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: alice.user.id, amount: 1_000_000, reference: 'funds' });
    const kb = await createKnowledgeBase(app, alice.accessToken, 'Pumps');
    stub.script({ kind: 'stream', tokens: ['Pumps ', 'move ', 'water.'], delayMs: 5 });

    const asked = await app.gql<{ ask: TurnResult }>(ASK.replace('mutation(', 'mutation Ask('), { kb, question: 'What do pumps do?', maxTokens: 50 }, {
      token: alice.accessToken,
      headers: { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` },
    });
    expect(asked.errors).toBeUndefined();
    const turn = await finishedTurn(app, alice.accessToken, asked.data!.ask.id);
    expect(turn.status).toBe('completed');
    await settledWallet(app, alice.accessToken, 2);
    await tracing!.shutdown(); // flushes every span ended so far
    tracing = undefined;

    const spans = exported.filter((span) => span.traceId === TRACE_ID);
    const named = (name: string) => spans.filter((span) => span.name === name);
    const [mutation] = named('graphql.mutation Ask');
    expect(mutation?.parentSpanId).toBe(CLIENT_SPAN);
    // The saga's steps hang below the mutation that started the turn; retrieval and the provider call below a step.
    // Uninterrupted, a turn is one step: the hold, the search, the answer and its charge are written within Reserve.
    const steps = spans.filter((span) => span.name.startsWith('turn-saga '));
    expect(steps.map((span) => span.name)).toEqual(['turn-saga Reserve']);
    for (const step of steps) expect(step.parentSpanId).toBe(mutation!.spanId);
    const stepIds = new Set(steps.map((span) => span.spanId));
    for (const name of ['retrieval', 'generation']) {
      expect(named(name).length, name).toBeGreaterThan(0);
      // The search starts while the question is being recorded (the saga runs in this process): below the mutation.
      const parentsOf = name === 'retrieval' ? new Set([mutation!.spanId, ...stepIds]) : stepIds;
      for (const span of named(name)) expect(parentsOf.has(span.parentSpanId!), name).toBe(true);
    }
    // The read models' commits of the turn's and the wallet's events, each below the span that appended them.
    const projected = new Set(spans.filter((span) => span.name.startsWith('project ')).map((span) => span.name));
    expect([...projected]).toEqual(expect.arrayContaining(['project conversations', 'project wallets']));
    const parents = new Set([mutation!.spanId, ...stepIds]);
    for (const span of spans.filter((s) => s.name.startsWith('project '))) expect(parents.has(span.parentSpanId!), span.name).toBe(true);
  }, 120_000);
});
