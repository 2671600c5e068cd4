/**
 * OpenTelemetry, only when OTEL_EXPORTER_OTLP_ENDPOINT is set: the SDK's default exporters try to reach a
 * collector and its shutdown hangs ~8 s offline, so with no endpoint nothing is started. Spans: one per GraphQL
 * operation, a child of the request's W3C traceparent; its own traceparent goes into the metadata of the events the
 * operation appends, so the saga's steps (command-side/process-manager), retrieval, the provider call and each
 * projector's commit of those events join the same trace, in whichever process runs them.
 */
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { contextOfTraceparent, traceparentOf } from '../../contracts/trace-context.ts';

export interface Tracing {
  shutdown(): Promise<void>;
}

let exporting = false;

export async function startTracing(options: { endpoint: string | undefined; serviceName?: string }): Promise<Tracing | undefined> {
  if (!options.endpoint) return undefined;
  exporting = true;
  // Traces only: metrics are scraped at /metrics and logs go to stdout, so the SDK's OTLP metric and log exporters
  // (on by default) would only be refused by a traces-only collector. Explicit OTEL_* settings still win.
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  // The SDK reads OTEL_EXPORTER_OTLP_ENDPOINT (and the other OTEL_* variables) itself.
  const sdk = new NodeSDK({ serviceName: options.serviceName ?? 'knowledge-assistant', instrumentations: [] });
  sdk.start();
  return {
    shutdown: async () => {
      exporting = false;
      await sdk.shutdown();
    },
  };
}

/**
 * A span per projected event that carries a traceparent, from its append to its projector's commit: the question's
 * trace shows when each read model had it (projection lag). Skipped when nothing exports: it costs a parse per event.
 */
export function traceProjected(projector: string, events: readonly RecordedEvent[]): void {
  if (!exporting) return;
  const tracer = trace.getTracer('knowledge-assistant.projections');
  for (const event of events) {
    if (!event.metadata.traceparent) continue;
    tracer
      .startSpan(
        `project ${projector}`,
        { startTime: new Date(event.createdAt), attributes: { 'event.type': event.type, 'event.stream': event.streamId, 'event.position': event.position } },
        contextOfTraceparent(event.metadata.traceparent),
      )
      .end();
  }
}

/** Spans for GraphQL operations (a no-op tracer when the SDK is not started). */
export function graphqlTracingPlugin(app: FastifyInstance): void {
  const tracer = trace.getTracer('knowledge-assistant.graphql');
  const spans = new WeakMap<object, Span>();
  app.graphql.addHook('preExecution', async (_schema, document, context) => {
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const traced = context as { traceparent?: unknown };
    const parent = contextOfTraceparent(traced.traceparent);
    const type = operation?.operation ?? 'query';
    const name = operation?.name?.value ?? 'anonymous';
    const span = tracer.startSpan(
      `graphql.${type} ${name}`,
      { kind: SpanKind.SERVER, attributes: { 'graphql.operation.type': type, 'graphql.operation.name': name } },
      parent,
    );
    spans.set(context, span);
    // The events this operation appends carry the operation's span, so the saga's spans hang below it.
    const own = traceparentOf(span.spanContext());
    if (own) traced.traceparent = own;
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
