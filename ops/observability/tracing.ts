/**
 * OpenTelemetry, only when OTEL_EXPORTER_OTLP_ENDPOINT is set: the SDK's default exporters try to reach a
 * collector and its shutdown hangs ~8 s offline, so with no endpoint nothing is started. Spans: one per GraphQL
 * operation, a child of the request's W3C traceparent (the same one features put in event metadata).
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { Kind, type OperationDefinitionNode } from 'graphql';

export interface Tracing {
  shutdown(): Promise<void>;
}

export async function startTracing(options: { endpoint: string | undefined; serviceName?: string }): Promise<Tracing | undefined> {
  if (!options.endpoint) return undefined;
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  // The SDK reads OTEL_EXPORTER_OTLP_ENDPOINT (and the other OTEL_* variables) itself.
  const sdk = new NodeSDK({ serviceName: options.serviceName ?? 'knowledge-assistant', instrumentations: [] });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

function parentContext(traceparent: unknown): Context {
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
  if (!match) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: Number.parseInt(match[3]!, 16),
    isRemote: true,
  });
}

/** Spans for GraphQL operations (a no-op tracer when the SDK is not started). */
export function graphqlTracingPlugin(app: FastifyInstance): void {
  const tracer = trace.getTracer('knowledge-assistant.graphql');
  const spans = new WeakMap<object, Span>();
  app.graphql.addHook('preExecution', async (_schema, document, context) => {
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const parent = parentContext((context as { traceparent?: unknown }).traceparent);
    const type = operation?.operation ?? 'query';
    const name = operation?.name?.value ?? 'anonymous';
    spans.set(
      context,
      tracer.startSpan(
        `graphql.${type} ${name}`,
        { kind: SpanKind.SERVER, attributes: { 'graphql.operation.type': type, 'graphql.operation.name': name } },
        parent,
      ),
    );
  });
  app.graphql.addHook('onResolution', async (execution, context) => {
    const span = spans.get(context);
    if (!span) return;
    if (execution.errors?.length) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: execution.errors[0]?.message ?? 'error' });
    }
    span.end();
  });
}
