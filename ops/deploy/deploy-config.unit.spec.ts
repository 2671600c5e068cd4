/**
 * docker-compose.yml and what it mounts from ops/deploy, checked without a Docker engine: the compose file against
 * the compose specification's schema (vendored: README.md here), the app services' variables against what the
 * config reads, Prometheus' targets, Grafana's provisioning and the collector's wiring against the compose services.
 * That the dashboard's metrics are ones the app exports is checked against real processes of every role in
 * ops/app/role-probes.e2e.spec.ts.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { EventStoreDBClient } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ROLES, loadConfig } from '../config/config.ts';
import {
  REPO_ROOT,
  appServices,
  composeFile,
  dashboardFile,
  deployYaml,
  metricNamesIn,
  panelsOf,
  readRepoFile,
  type ComposeFile,
} from '../testing/deploy-files.ts';

const require = createRequire(import.meta.url);

function composeValidator() {
  const schema = JSON.parse(readRepoFile('ops/deploy/compose-spec.schema.json')) as { $schema: string };
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema names draft-07 by its https address; ajv knows draft-07 by its historical http one.
  ajv.addMetaSchema({ ...(require('ajv/dist/refs/json-schema-draft-07.json') as object), $id: schema.$schema });
  return ajv.compile(schema);
}

const compose = composeFile();
const app = appServices(compose);
const APP_ROLES = ROLES.filter((role) => role !== 'all');
const APP_PORT = compose.services.api!.environment!.PORT!;
const hostPortOf = (url: string) => {
  const { hostname, port } = new URL(url);
  return { host: hostname, port };
};

describe('docker-compose.yml', () => {
  it('is valid against the compose specification schema, which does reject a mistake', () => {
    const validate = composeValidator();
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const mistaken = structuredClone(compose) as ComposeFile;
    (mistaken.services.api as Record<string, unknown>).enviroment = { ROLE: 'api' };
    expect(validate(mistaken)).toBe(false);
  });

  it('runs every split role from the app image, two api replicas, each process probed on its PORT', () => {
    for (const role of APP_ROLES) expect(app[role]?.environment?.ROLE, role).toBe(role);
    expect(Object.keys(app).sort()).toEqual([...APP_ROLES].sort());
    expect(app.api!.deploy?.replicas).toBe(2);
    for (const [name, service] of Object.entries(app)) {
      expect(service.environment?.PORT, name).toBe(APP_PORT);
      expect(service.healthcheck?.test.join(' '), name).toContain(`:${APP_PORT}/healthz`);
    }
  });

  it('sets on the app services only variables the configuration reads', () => {
    for (const [name, service] of Object.entries(app)) {
      const unknown = Object.keys(service.environment ?? {}).filter((key) => !(CONFIG_VARIABLES as readonly string[]).includes(key));
      expect(unknown, `${name} sets variables ops/config/config.ts does not read`).toEqual([]);
    }
  });

  it('gives every service a health check and keeps data in named volumes it declares', () => {
    for (const [name, service] of Object.entries(compose.services)) expect(service.healthcheck?.test.length, name).toBeGreaterThan(0);
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) expect(existsSync(path.join(REPO_ROOT, source)), `${name} mounts ${source}`).toBe(true);
        else expect(declared, `${name} uses volume ${source}`).toContain(source);
      }
    }
    for (const stateful of ['eventstore', 'eventstore-1', 'eventstore-2', 'eventstore-3', 'postgres', 'redis', 'prometheus', 'grafana']) {
      expect(compose.services[stateful]?.volumes?.some((v) => declared.includes(v.split(':')[0]!)), stateful).toBe(true);
    }
  });

  it('has a 3-node EventStoreDB cluster profile that cluster.env points the app at', () => {
    const nodes = Object.entries(compose.services).filter(([, s]) => s.profiles?.includes('cluster')).map(([name]) => name);
    expect(nodes).toHaveLength(3);
    for (const node of nodes) {
      const seeds = compose.services[node]!.environment!.EVENTSTORE_GOSSIP_SEED!.split(',').map((s) => s.split(':')[0]);
      expect(seeds.sort()).toEqual(nodes.filter((n) => n !== node).sort());
      // The app waits for a started cluster, and starts without one.
      for (const service of Object.values(app)) expect(service.depends_on?.[node]).toEqual({ condition: 'service_healthy', required: false });
    }
    const env = Object.fromEntries(
      readRepoFile('ops/deploy/cluster.env')
        .split('\n')
        .filter((line) => /^\w+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(env.COMPOSE_PROFILES).toBe('cluster');
    const url = env.EVENTSTORE_URL!;
    const hosts = /^esdb:\/\/([^?]+)/.exec(url)![1]!.split(',').map((host) => host.split(':')[0]);
    expect(hosts.sort()).toEqual(nodes.sort());
    expect(() => loadConfig({ EVENTSTORE_URL: url })).not.toThrow();
    // The client parses it (and connects lazily, so nothing is dialled here).
    const client = EventStoreDBClient.connectionString(url);
    void client.dispose();
  });
});

describe('ops/deploy', () => {
  it("prometheus.yml scrapes every app role, by its compose service name, on the app's PORT", () => {
    const config = deployYaml<{ scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; port: number }[]; static_configs?: { targets: string[] }[] }[] }>('prometheus.yml');
    const targets = config.scrape_configs.flatMap((job) => [
      ...(job.dns_sd_configs ?? []).flatMap((sd) => sd.names.map((host) => ({ job: job.job_name, host, port: String(sd.port) }))),
      ...(job.static_configs ?? []).flatMap((sc) => sc.targets.map((t) => ({ job: job.job_name, host: t.split(':')[0]!, port: t.split(':')[1]! }))),
    ]);
    for (const target of targets) {
      expect(Object.keys(compose.services), `${target.job} scrapes ${target.host}`).toContain(target.host);
      expect(target.port, target.host).toBe(APP_PORT);
    }
    expect(targets.map((t) => t.host).sort()).toEqual(Object.keys(app).sort());
    expect(targets.every((t) => t.job === t.host)).toBe(true);
  });

  it('Grafana is provisioned with the Prometheus datasource the dashboard names, and loads the dashboard compose mounts', () => {
    const datasources = deployYaml<{ datasources: { uid: string; type: string; url: string }[] }>('grafana/provisioning/datasources/datasources.yaml');
    const prometheus = datasources.datasources.find((d) => d.type === 'prometheus')!;
    expect(hostPortOf(prometheus.url).host).toBe('prometheus');
    const dashboard = dashboardFile();
    for (const panel of panelsOf(dashboard.panels)) {
      if (panel.datasource) expect(panel.datasource.uid, panel.title).toBe(prometheus.uid);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid ?? prometheus.uid, panel.title).toBe(prometheus.uid);
    }
    const providers = deployYaml<{ providers: { options: { path: string } }[] }>('grafana/provisioning/dashboards/dashboards.yaml');
    const mounts = compose.services.grafana!.volumes!.map((v) => v.split(':'));
    expect(mounts).toContainEqual(['./ops/deploy/grafana/dashboards', providers.providers[0]!.options.path, 'ro']);
    expect(mounts).toContainEqual(['./ops/deploy/grafana/provisioning', '/etc/grafana/provisioning', 'ro']);
  });

  it('every dashboard query is PromQL, and the panels cover what the dashboard is for', () => {
    const panels = panelsOf(dashboardFile().panels).filter((p) => p.targets?.length);
    const read = new Map(panels.map((p) => [p.title, p.targets!.flatMap((t) => metricNamesIn(t.expr))]));
    expect(read.get('Questions per second')).toEqual(['questions_asked_total']);
    expect(read.get('Ask → first token')).toContain('answer_first_token_seconds_bucket');
    expect(read.get('Tokens per second')).toEqual(['answer_tokens_total']);
    expect(read.get('Projection lag')).toEqual(['projection_lag_seconds']);
    expect(read.get('Saga step durations (p95)')).toEqual(['saga_step_duration_seconds_bucket']);
    expect(read.get('Open reservations')).toEqual(['wallet_open_reservations']);
    expect(read.get('Credits spent per model')).toEqual(['credits_spent_micros_total']);
    expect(read.get('Ingestion queue depth')).toEqual(['ingestion_queue_documents']);
    expect(read.get('Event-loop delay (p99)')).toEqual(['nodejs_eventloop_lag_p99_seconds']);
    expect(() => metricNamesIn('sum(rate(questions_asked_total[5m])')).toThrow(/not PromQL/);
  });

  it('the app sends OTLP to the collector, which exports traces to Jaeger', () => {
    const endpoint = hostPortOf(app.api!.environment!.OTEL_EXPORTER_OTLP_ENDPOINT!);
    expect(Object.keys(compose.services)).toContain(endpoint.host);
    const collector = deployYaml<{
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      exporters: Record<string, { endpoint: string }>;
      extensions: { health_check: { endpoint: string } };
      service: { pipelines: { traces: { receivers: string[]; exporters: string[] } } };
    }>('otel-collector.yaml');
    expect(collector.receivers.otlp.protocols.http.endpoint).toBe(`0.0.0.0:${endpoint.port}`);
    const traces = collector.service.pipelines.traces;
    expect(traces.receivers).toContain('otlp');
    const jaeger = traces.exporters.map((name) => collector.exporters[name]!.endpoint);
    expect(jaeger).toEqual(['jaeger:4317']);
    expect(compose.services[endpoint.host]!.healthcheck!.test.join(' ')).toContain(`:${collector.extensions.health_check.endpoint.split(':')[1]}/`);
    expect(compose.services[endpoint.host]!.volumes).toContain('./ops/deploy/otel-collector.yaml:/etc/otelcol-contrib/config.yaml:ro');
  });
});
