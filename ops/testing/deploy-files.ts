/**
 * The deployment files as tests read them (test code only): docker-compose.yml with its YAML merge keys resolved
 * as compose resolves them, and what ops/deploy mounts (Prometheus, Grafana, the collector), plus the metric names a
 * PromQL expression reads, found by the Prometheus project's own PromQL grammar.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEPLOY_DIR = fileURLToPath(new URL('../deploy/', import.meta.url));

export const readRepoFile = (relative: string): string => readFileSync(new URL(relative, `file://${REPO_ROOT}`), 'utf8');

export interface ComposeService {
  build?: string | { context: string; dockerfile?: string };
  image?: string;
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  deploy?: { replicas?: number };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [extension: string]: unknown;
}

/** docker-compose.yml, `<<` merge keys applied (YAML 1.1 merges, which compose supports). */
export const composeFile = (): ComposeFile => parseYaml(readRepoFile('docker-compose.yml'), { merge: true }) as ComposeFile;

/** The services running the app image (built from the repository root), by name. */
export function appServices(compose: ComposeFile): Record<string, ComposeService> {
  return Object.fromEntries(Object.entries(compose.services).filter(([, service]) => service.build === '.'));
}

export const deployYaml = <T>(relative: string): T => parseYaml(readRepoFile(`ops/deploy/${relative}`)) as T;

export interface DashboardPanel {
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
  panels?: DashboardPanel[];
}

export const dashboardFile = (): { uid: string; panels: DashboardPanel[] } =>
  JSON.parse(readRepoFile('ops/deploy/grafana/dashboards/knowledge-assistant.json')) as { uid: string; panels: DashboardPanel[] };

/** Every panel, rows' panels included. */
export const panelsOf = (panels: readonly DashboardPanel[]): DashboardPanel[] => panels.flatMap((p) => [p, ...panelsOf(p.panels ?? [])]);

/** Grafana's range variables stand for a duration: PromQL sees one. */
const GRAFANA_DURATIONS = /\$__(rate_interval|interval|range)\b/g;

/** The metric names an expression selects; throws on an expression PromQL cannot parse. */
export function metricNamesIn(expression: string): string[] {
  const text = expression.replace(GRAFANA_DURATIONS, '5m');
  const names: string[] = [];
  let broken: string | undefined;
  promqlParser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) broken ??= text.slice(Math.max(0, node.from - 10), node.to + 10);
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier) names.push(text.slice(identifier.from, identifier.to));
      }
    },
  });
  if (broken !== undefined) throw new Error(`not PromQL near ${JSON.stringify(broken)} in ${expression}`);
  return names;
}
