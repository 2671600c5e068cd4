/**
 * Prometheus metrics at /metrics: process defaults, HTTP requests by route and status, GraphQL operations by type
 * and name (with errors), and projector status. One registry per app, so tests can run several apps in a process.
 */
import type { FastifyInstance } from 'fastify';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ProjectorGaugeSource {
  health(): readonly { name: string; status: string }[];
}

function operationOf(document: DocumentNode): OperationDefinitionNode | undefined {
  return document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
}

export function createMetrics(options: { projectors?: ProjectorGaugeSource } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by type and name',
    labelNames: ['type', 'name'] as const,
    registers: [registry],
  });
  const operationErrors = new Counter({
    name: 'graphql_operation_errors_total',
    help: 'GraphQL operations that returned errors, by type and name',
    labelNames: ['type', 'name'] as const,
    registers: [registry],
  });
  if (options.projectors) {
    const source = options.projectors;
    new Gauge({
      name: 'projector_up',
      help: '1 when the projector is running or idle, 0 when failed or stopped',
      labelNames: ['projector', 'status'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const p of source.health()) {
          this.set({ projector: p.name, status: p.status }, p.status === 'failed' || p.status === 'stopped' ? 0 : 1);
        }
      },
    });
  }

  const plugin = (app: FastifyInstance): void => {
    app.addHook('onResponse', async (request, reply) => {
      httpDuration
        .labels(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
        .observe(reply.elapsedTime / 1000);
    });
    const labelsOf = new WeakMap<object, { type: string; name: string }>();
    app.graphql.addHook('preExecution', async (_schema, document, context) => {
      const operation = operationOf(document);
      const labels = { type: operation?.operation ?? 'unknown', name: operation?.name?.value ?? 'anonymous' };
      labelsOf.set(context, labels);
      operations.inc(labels);
    });
    app.graphql.addHook('onResolution', async (execution, context) => {
      const labels = labelsOf.get(context);
      if (labels && execution.errors?.length) operationErrors.inc(labels);
    });
    app.get('/metrics', async (_request, reply) =>
      reply.type(registry.contentType).send(await registry.metrics()),
    );
  };
  return { registry, plugin };
}
