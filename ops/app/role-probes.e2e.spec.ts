/**
 * Every role can be probed and scraped: real `npm start` processes (ROLE=projector, worker, two saga, api) sharing
 * Postgres and Redis, each answering /healthz and /metrics on its own PORT. Health shows what the process runs (its
 * projectors, its services, which saga holds the lease); the business facts of a question are counted once, by the
 * process that owns them; and every metric the Grafana dashboard reads is declared by the registries of these
 * processes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { createTestPostgres, type TestDatabase } from '../testing/databases.ts';
import { dashboardFile, metricNamesIn, panelsOf } from '../testing/deploy-files.ts';
import { until } from '../testing/document-uploads.ts';
import { postGraphql } from '../testing/graphql-clients.ts';
import { declaredSeriesNames, sampleValue } from '../testing/prometheus-text.ts';
import { createLexicalSearchTables, sharedRoleEnv, startRole, stopRole, type RoleProcess } from '../testing/role-processes.ts';

const MODEL = 'stub-chat';
const TOKENS = Array.from({ length: 12 }, (_, i) => `t${i + 1} `);

interface Health {
  status: string;
  role: string;
  projectors: { name: string; status: string; error?: { message: string } }[];
  services: { name: string; status: string }[];
}

async function healthOf(process: RoleProcess): Promise<{ code: number; body: Health }> {
  const response = await fetch(`${process.probeUrl}/healthz`);
  return { code: response.status, body: (await response.json()) as Health };
}

async function metricsOf(process: RoleProcess): Promise<string> {
  const response = await fetch(`${process.probeUrl}/metrics`);
  expect(response.status, `${process.role} /metrics`).toBe(200);
  return response.text();
}

/** Polls at a pace the processes barely notice. */
const eventually = <T>(what: string, probe: () => Promise<T | undefined>) =>
  until(
    what,
    async () => {
      await sleep(200);
      return probe();
    },
    60_000,
  );

describe('every role probed and scraped: projector, worker, two sagas and an api on Postgres and Redis', () => {
  let stub: OpenAiStubServer;
  let events: TestDatabase;
  let readModels: TestDatabase;
  let dataDir: string;
  const roles: RoleProcess[] = [];
  const role = (name: string) => roles.filter((r) => r.role === name);

  beforeAll(async () => {
    stub = await startOpenAiStubServer();
    [events, readModels] = await Promise.all([createTestPostgres({ max: 1 }), createTestPostgres({ max: 1 })]);
    await createLexicalSearchTables(readModels);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ka-role-probes-'));
    const env = sharedRoleEnv({ dataDir, events, readModels, stubBaseUrl: stub.baseURL, model: MODEL });
    // The projector first: it creates the read-model tables the others read.
    roles.push(await startRole('projector', env));
    roles.push(...(await Promise.all(['saga', 'saga', 'worker', 'api'].map((name) => startRole(name, env)))));
  }, 300_000);
  afterAll(async () => {
    await Promise.all(roles.map(stopRole));
    await stub?.close();
    await events?.drop();
    await readModels?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('every process answers /healthz on its own port, with its role', async () => {
    const ports = new Set(roles.map((r) => new URL(r.probeUrl).port));
    expect(ports.size).toBe(roles.length);
    for (const process of roles) expect((await healthOf(process)).body.role).toBe(process.role);
  });

  it("the projector process reports its projectors; a failed one makes it 503 with the projector's error", async () => {
    const [projector] = role('projector');
    const { code, body } = await eventually('projectors started', async () => {
      const health = await healthOf(projector!);
      return health.body.projectors.every((p) => p.status === 'running' || p.status === 'failed') ? health : undefined;
    });
    expect(body.projectors.map((p) => p.name)).toEqual(expect.arrayContaining(['users', 'knowledge-bases', 'documents', 'wallets', 'conversations', 'chunks']));
    const failed = body.projectors.filter((p) => p.status === 'failed');
    // This machine's Postgres has no pgvector: there the chunks projector fails alone, and says why.
    for (const projector of failed) expect(projector.error?.message, projector.name).toBeTruthy();
    expect(code).toBe(failed.length > 0 ? 503 : 200);
    expect(body.status).toBe(failed.length > 0 ? 'degraded' : 'ok');
    expect(body.services).toEqual([]);
  });

  it('one saga holds the lease and runs, the other stands by and is healthy; the worker runs its pipeline', async () => {
    const sagas = await eventually('the saga lease settled', async () => {
      const healths = await Promise.all(role('saga').map(healthOf));
      const statuses = healths.map((h) => h.body.services.find((s) => s.name === 'billing saga')?.status).sort();
      return statuses.join() === 'running,standby' ? healths : undefined;
    });
    for (const { code, body } of sagas) {
      expect(code).toBe(200);
      expect(body).toMatchObject({ status: 'ok', role: 'saga', projectors: [] });
      expect(body.services).toContainEqual({ name: 'signup grant', status: 'running' });
    }
    const worker = await healthOf(role('worker')[0]!);
    expect(worker.code).toBe(200);
    expect(worker.body.projectors).toEqual([]);
    expect(worker.body.services).toEqual(
      expect.arrayContaining([
        { name: 'document pipeline', status: 'running' },
        { name: 'blob collector', status: 'running' },
      ]),
    );
    const api = await healthOf(role('api')[0]!);
    expect(api).toMatchObject({ code: 200, body: { status: 'ok', role: 'api', projectors: [] } });
  });

  describe('after a question answered across the processes', () => {
    let turn: { id: string; status: string; cost: number; usage: { promptTokens: number; completionTokens: number } };
    let scraped: Map<RoleProcess, string>;
    const activeSaga = async () => {
      for (const saga of role('saga')) {
        const { body } = await healthOf(saga);
        if (body.services.some((s) => s.name === 'billing saga' && s.status === 'running')) return saga;
      }
      throw new Error('no saga holds the lease');
    };

    beforeAll(async () => {
      const api = role('api')[0]!.url!;
      const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => {
        const result = await postGraphql<T>(api, query, variables, token);
        expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
        return result.data!;
      };
      const token = (await gql<{ register: { accessToken: string } }>(`mutation { register(email: "probe@example.com", password: "correct horse battery") { accessToken } }`))
        .register.accessToken;
      await eventually('the signup grant', async () => ((await gql<{ wallet: { balance: number } }>(`{ wallet { balance } }`, {}, token)).wallet.balance > 0 ? true : undefined));
      const kb = (await gql<{ createKnowledgeBase: { id: string } }>(`mutation { createKnowledgeBase(name: "Probes") { id } }`, {}, token)).createKnowledgeBase.id;
      stub.script({ kind: 'stream', tokens: TOKENS, delayMs: 5 });
      const { ask } = await gql<{ ask: { id: string } }>(
        `mutation($kb: ID!) { ask(knowledgeBaseId: $kb, question: "What do pumps do?", maxTokens: 100) { id } }`,
        { kb },
        token,
      );
      turn = await eventually('the turn answered', async () => {
        const read = await gql<{ turn: typeof turn }>(`query($id: ID!) { turn(id: $id) { id status cost usage { promptTokens completionTokens } } }`, { id: ask.id }, token);
        return read.turn.status === 'completed' && read.turn.cost !== null ? read.turn : undefined;
      });
      const [projector] = role('projector');
      // The projector process counts once its projectors committed the turn's end and the wallet's capture.
      await eventually('the facts projected', async () => {
        const text = await metricsOf(projector!);
        return sampleValue(text, 'turns_finished_total', { status: 'completed' }) && sampleValue(text, 'credits_spent_micros_total', { model: MODEL }) ? true : undefined;
      });
      scraped = new Map(await Promise.all(roles.map(async (r) => [r, await metricsOf(r)] as const)));
    }, 120_000);

    it('the projector process counts the question, its tokens, its end and its charge, from the log', () => {
      const text = scraped.get(role('projector')[0]!)!;
      expect(turn.status).toBe('completed');
      expect(sampleValue(text, 'questions_asked_total', { model: MODEL })).toBe(1);
      expect(sampleValue(text, 'answer_tokens_total', { model: MODEL, kind: 'completion' })).toBe(turn.usage.completionTokens);
      expect(sampleValue(text, 'answer_tokens_total', { model: MODEL, kind: 'prompt' })).toBe(turn.usage.promptTokens);
      expect(sampleValue(text, 'turns_finished_total', { status: 'completed' })).toBe(1);
      expect(sampleValue(text, 'credits_spent_micros_total', { model: MODEL })).toBe(turn.cost);
      expect(sampleValue(text, 'wallet_open_reservations', { projector: 'wallets' })).toBe(0);
      expect(sampleValue(text, 'ingestion_queue_documents', { status: 'uploaded' })).toBe(0);
      expect(sampleValue(text, 'projection_lag_seconds', { projector: 'conversations' })).toBeGreaterThanOrEqual(0);
      expect(sampleValue(text, 'projector_up', { projector: 'conversations', status: 'running' })).toBe(1);
    });

    it('the saga holding the lease times its steps and the first token; the one standing by observed nothing', async () => {
      const active = await activeSaga();
      const text = scraped.get(active)!;
      expect(sampleValue(text, 'answer_first_token_seconds_count', { model: MODEL })).toBe(1);
      const firstToken = sampleValue(text, 'answer_first_token_seconds_sum', { model: MODEL })!;
      expect(firstToken).toBeGreaterThan(0);
      expect(firstToken).toBeLessThan(30);
      for (const step of ['reserve', 'retrieve', 'generate', 'settle']) {
        expect(sampleValue(text, 'saga_step_duration_seconds_count', { step }), step).toBe(1);
      }
      const standby = role('saga').find((s) => s !== active)!;
      expect(sampleValue(scraped.get(standby)!, 'answer_first_token_seconds_count', { model: MODEL })).toBeUndefined();
      expect(sampleValue(scraped.get(standby)!, 'saga_step_duration_seconds_count', { step: 'reserve' })).toBeUndefined();
    });

    it('no other process counts a business fact, so Prometheus sums are not doubled', () => {
      for (const [process, text] of scraped) {
        if (process.role === 'projector') continue;
        for (const name of ['questions_asked_total', 'answer_tokens_total', 'turns_finished_total', 'credits_spent_micros_total', 'wallet_open_reservations', 'ingestion_queue_documents', 'projection_lag_seconds']) {
          expect(sampleValue(text, name), `${process.role} ${name}`).toBeUndefined();
        }
      }
    });

    it('every process exports its event-loop delay and HTTP metrics; the api its GraphQL operations', () => {
      for (const [process, text] of scraped) {
        expect(sampleValue(text, 'nodejs_eventloop_lag_p99_seconds'), process.role).toBeGreaterThanOrEqual(0);
        expect(sampleValue(text, 'http_request_duration_seconds_count', { route: '/healthz' }), process.role).toBeGreaterThan(0);
      }
      expect(sampleValue(scraped.get(role('api')[0]!)!, 'graphql_operations_total', { type: 'mutation' })).toBeGreaterThan(0);
    });

    it('every metric the dashboard reads is declared by the registries of these processes, and has data', () => {
      const declared = new Set([...scraped.values()].flatMap((text) => [...declaredSeriesNames(text)]));
      const read = panelsOf(dashboardFile().panels).flatMap((panel) => (panel.targets ?? []).flatMap((t) => metricNamesIn(t.expr).map((name) => ({ panel: panel.title, name }))));
      expect(read.length).toBeGreaterThan(10);
      for (const { panel, name } of read) {
        expect(declared.has(name), `${panel}: ${name} is exported by no role`).toBe(true);
        expect([...scraped.values()].some((text) => sampleValue(text, name) !== undefined), `${panel}: ${name} has no sample`).toBe(true);
      }
    });
  });
});
