/**
 * Prometheus metrics at /metrics. One registry per app (tests run several apps in a process), holding the process
 * defaults (CPU, memory, GC, and the event-loop delay as nodejs_eventloop_lag_p50/p90/p99_seconds, measured since
 * the previous scrape) and the HTTP request durations of whichever server the process runs. The other metrics
 * register on the same registry where their facts happen, each in the one process that should count them:
 * - graphqlMetricsPlugin (here): GraphQL operations, on the api server;
 * - projector-metrics.ts: projector status and lag, where projectors run;
 * - business-metrics.ts: questions, tokens, credits, turns, counted from committed events where projectors run;
 * - read-model-gauges.ts: open reservations and the ingestion queue, where their projector runs;
 * - turn-metrics.ts: saga step durations and ask -> first token, where the saga runs.
 * docs/ARCHITECTURE.md ("Observability") lists them; ops/deploy's dashboard reads them.
 */
import type { FastifyInstance } from 'fastify';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface AppMetrics {
  registry: Registry;
  /** GET /metrics and the duration of every HTTP request (api and probe servers alike). */
  httpPlugin(app: FastifyInstance): void;
  /** GraphQL operations and their errors, by type and name (api server only: it needs mercurius). */
  graphqlPlugin(app: FastifyInstance): void;
}

function operationOf(document: DocumentNode): OperationDefinitionNode | undefined {
  return document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
}

export function createMetrics(): AppMetrics {
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

  return {
    registry,
    httpPlugin(app) {
      app.addHook('onResponse', async (request, reply) => {
        httpDuration
          .labels(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
          .observe(reply.elapsedTime / 1000);
      });
      app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
    },
    graphqlPlugin(app) {
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
    },
  };
}
