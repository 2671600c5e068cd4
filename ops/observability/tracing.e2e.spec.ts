import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, testResolvers } from '../../query-side/server/server.testing.ts';
import { graphqlTracingPlugin, startTracing } from './tracing.ts';

describe('OpenTelemetry', () => {
  const received: { url: string; body: Buffer }[] = [];
  const collector = createHttpServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ url: request.url ?? '', body: Buffer.concat(chunks) });
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  afterAll(async () => new Promise<void>((resolve) => collector.close(() => resolve())));

  it('starts nothing without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    expect(await startTracing({ endpoint: undefined })).toBeUndefined();
  });

  it('with an endpoint, exports a span per GraphQL operation, in the trace of the request traceparent', async () => {
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    // The SDK reads its OTEL_* variables itself (ops/config validates the endpoint for the app).
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
    process.env.OTEL_METRICS_EXPORTER = 'none';
    process.env.OTEL_LOGS_EXPORTER = 'none';
    const tracing = await startTracing({ endpoint });
    const server = await startTestServer({ resolvers: [testResolvers], plugins: [graphqlTracingPlugin] });
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const result = await server.gql('query TracedQuery { me { id } }', {}, {
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      });
      expect(result.errors).toBeUndefined();
    } finally {
      await server.close();
      await tracing?.shutdown(); // flushes the batch
    }
    const traces = received.filter((r) => r.url === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    const payload = Buffer.concat(traces.map((t) => t.body));
    expect(payload.includes(Buffer.from('graphql.query TracedQuery'))).toBe(true);
    expect(payload.includes(Buffer.from('4bf92f3577b34da6a3ce929d0e0e4736', 'hex'))).toBe(true);
  });
});
