/**
 * Takeover after a crash, with real processes on Postgres and Redis: an api, two projector processes, two saga
 * processes and two worker processes (`npm start` in their ROLE). While questions are asked and answered (the
 * OpenAI-protocol stub streaming slowly), deposits made and documents uploaded and indexed, the process holding each
 * lease is killed with SIGKILL (found through /healthz: projectors running, the billing saga running; for workers,
 * which both run, through the document claims it holds in pg_locks). Measured: the time from the kill to the other
 * instance running (its /healthz) and to its work moving again. Checked afterwards: no turn lost (every turn asked
 * ended, every hold captured or released), nothing handled twice in effect (one end, one hold and one settlement per
 * turn in the log; wallets equal the log's deposits minus captures; one signup grant per user; every document's
 * chunks once in the log and in the index), and every read model equals a fresh replay of the log.
 *
 * The bounds come from the lease loops: Postgres drops a dead session's advisory locks as soon as its connection
 * closes (the kernel closes a killed process's sockets), then a standby saga tries the lease every 1 s (standbyMs,
 * command-side/process-manager/lease-holder.ts), a standby projector process every 5 s (leaseCheckMs,
 * projections/runtime/runtime.ts), and a worker tries a document claimed elsewhere again every 1 s (claimRetryMs,
 * command-side/ingestion/pipeline/worker.ts). The assertions allow that plus start-up and a busy machine.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer, type StubRequest } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import type { EventStore, RecordedEvent } from '../../contracts/eventstore.ts';
import { createTestPostgres, type TestDatabase } from '../testing/databases.ts';
import { postGraphql } from '../testing/graphql-clients.ts';
import { sharedRoleEnv, startRole, stopRole, type RoleProcess } from '../testing/role-processes.ts';
import { loadConfig } from '../config/config.ts';
import { openEventStore } from './open-event-store.ts';
import { projectorNames } from './projectors.ts';
import { protectStoredPersonalData } from './personal-data.ts';

const MODEL = 'stub-chat';
/** ~0.6 s of answer: a kill finds generations in hand. */
const ANSWER = Array.from({ length: 15 }, (_, i) => `w${i + 1} `);
const TOKEN_DELAY_MS = 40;
const ENDED = ['completed', 'stopped', 'failed', 'rejected'];

/** The lease loops' intervals (defaults in the code) and what the assertions allow on top for start-up. */
const SAGA_STANDBY_MS = 1_000;
const PROJECTOR_LEASE_CHECK_MS = 5_000;
const CLAIM_RETRY_MS = 1_000;
const SLACK_MS = 3_000;

interface Health {
  status: string;
  role: string;
  projectors: { name: string; status: string }[];
  services: { name: string; status: string }[];
}

async function healthOf(role: RoleProcess): Promise<Health> {
  return (await (await fetch(`${role.probeUrl}/healthz`)).json()) as Health;
}

/** Polls `probe` every `everyMs` until it gives a value; the value and when it came (performance.now()). */
async function poll<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000, everyMs = 20): Promise<{ value: T; at: number }> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, at: performance.now() };
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const result = await postGraphql<T>(url, query, variables, token);
  if (result.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(result.errors)}`);
  return result.data!;
}

/** A Markdown manual of its own words (never the same bytes twice), ~`sections` × 250 words. */
function manual(seed: number, sections: number): string {
  const words = 'pump valve seal bearing impeller shaft motor coupling gasket flange casing pressure flow head suction discharge cavitation priming lubrication vibration alignment torque filter strainer nozzle'.split(' ');
  let x = seed * 7919 + 17;
  const next = () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648);
  const lines = [`# Manual ${seed}`];
  for (let s = 0; s < sections; s++) {
    lines.push('', `## Section ${s + 1} of manual ${seed}`);
    for (let p = 0; p < 5; p++) {
      const sentence = Array.from({ length: 50 }, () => words[next() % words.length]).join(' ');
      lines.push('', `${sentence} ${seed}-${s}-${p}.`);
    }
  }
  return lines.join('\n');
}

/** A stub request whose answer is being streamed right now. */
function trackSettled(stub: OpenAiStubServer): (request: StubRequest) => boolean {
  const settled = new WeakSet<StubRequest>();
  const seen = new WeakSet<StubRequest>();
  return (request) => {
    if (!seen.has(request)) {
      seen.add(request);
      void request.settled.then(() => settled.add(request));
    }
    return request.firstTokenAt !== undefined && !settled.has(request) && stub.requests.includes(request);
  };
}

interface User {
  name: string;
  id: string;
  token: string;
  kb?: string;
}

/** Uploads a Markdown file to the user's knowledge base; the document id. */
async function upload(api: string, user: User, name: string, text: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/markdown' }), name);
  const response = await fetch(`${api}/api/knowledge-bases/${user.kb}/documents`, { method: 'POST', body: form, headers: { authorization: `Bearer ${user.token}` } });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || !body.id) throw new Error(`upload of ${name} answered ${response.status}: ${JSON.stringify(body)}`);
  return body.id;
}

const documentStatus = async (api: string, user: User, id: string) =>
  (await gql<{ document: { status: string } | null }>(api, `query($id: ID!) { document(id: $id) { status } }`, { id }, user.token)).document?.status;

/**
 * Work flowing while processes are killed, each loop waiting for the end of what it asked before asking again: the
 * members ask questions and upload small documents, the admin deposits. Uploads stop before the worker's turn, so
 * that the documents it is killed over are the only ones the workers have.
 */
class Load {
  private stopped = false;
  private uploadsStopped = false;
  readonly errors: string[] = [];
  readonly turns = new Map<string, { turnId?: string; user: User }>();
  readonly deposits: { userId: string; amount: number; reference: string; startedAt: number; doneAt?: number }[] = [];
  readonly documents: { id: string; user: User }[] = [];
  private readonly loops: Promise<void>[] = [];
  private readonly uploads: Promise<void>[] = [];

  constructor(
    private readonly api: string,
    private readonly admin: User,
    private readonly members: User[],
  ) {}

  start(): void {
    for (const member of this.members) this.loops.push(this.guarded(member.name, () => this.asking(member)));
    for (const [i, member] of this.members.entries()) this.uploads.push(this.guarded(member.name, () => this.uploading(member, 1000 * (i + 1))));
    this.loops.push(this.guarded('admin', () => this.depositing()));
  }

  async stopUploads(): Promise<void> {
    this.uploadsStopped = true;
    await Promise.all(this.uploads);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.loops, this.stopUploads()]);
  }

  private async guarded(who: string, loop: () => Promise<void>): Promise<void> {
    try {
      await loop();
    } catch (error) {
      this.errors.push(`${who}: ${(error as Error).message}`);
    }
  }

  private async asking(user: User): Promise<void> {
    for (let n = 1; !this.stopped; n++) {
      const question = `What does part Q-${user.name}-${n} do?`;
      this.turns.set(question, { user });
      const { ask } = await gql<{ ask: { id: string } }>(
        this.api,
        `mutation($kb: ID!, $q: String!) { ask(knowledgeBaseId: $kb, question: $q, maxTokens: 60) { id } }`,
        { kb: user.kb, q: question },
        user.token,
      );
      this.turns.set(question, { turnId: ask.id, user });
      await poll(`turn ${ask.id} ended`, async () => {
        const { turn } = await gql<{ turn: { status: string } }>(this.api, `query($id: ID!) { turn(id: $id) { status } }`, { id: ask.id }, user.token);
        return ENDED.includes(turn.status) ? true : undefined;
      }, 60_000, 100);
    }
  }

  private async uploading(user: User, seed: number): Promise<void> {
    for (let n = 1; !this.stopped && !this.uploadsStopped; n++) {
      const id = await upload(this.api, user, `note-${seed + n}.md`, manual(seed + n, 2));
      this.documents.push({ id, user });
      const { value: status } = await poll(`document ${id} done`, async () => {
        const status = await documentStatus(this.api, user, id);
        return status === 'indexed' || status === 'failed' ? status : undefined;
      }, 60_000, 100);
      if (status !== 'indexed') throw new Error(`document ${id} ${status}`);
    }
  }

  private async depositing(): Promise<void> {
    for (let n = 1; !this.stopped; n++) {
      const member = this.members[n % this.members.length]!;
      const deposit: Load['deposits'][number] = { userId: member.id, amount: 1_000 + n, reference: `top-up-${n}`, startedAt: performance.now() };
      this.deposits.push(deposit);
      await gql(this.api, `mutation($u: ID!, $a: Micros!, $r: String!) { deposit(userId: $u, amount: $a, reference: $r) { balance } }`, {
        u: deposit.userId,
        a: deposit.amount,
        r: deposit.reference,
      }, this.admin.token);
      deposit.doneAt = performance.now();
      await sleep(150); // a steady trickle, not a flood: this paces the load, it waits for nothing
    }
  }
}

describe('takeover after SIGKILL: two projector, two saga and two worker processes, an api, on Postgres and Redis', () => {
  let stub: OpenAiStubServer;
  let events: TestDatabase;
  let readModels: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;
  const alive = new Set<RoleProcess>();
  let api: string;
  let projectors: RoleProcess[];
  let sagas: RoleProcess[];
  let worker1: RoleProcess;
  let worker2: Promise<RoleProcess>;
  /** The backend pid of worker 1's document-claims session (worker 2's is the other one). */
  let worker1Claims: number;
  let admin: User;
  let members: User[];
  let load: Load;
  const inFlight = () => stub.requests.filter(streaming);
  let streaming: (request: StubRequest) => boolean;
  const measured: Record<string, number> = {};

  const start = async (role: string) => {
    const started = await startRole(role, env);
    alive.add(started);
    return started;
  };
  const kill = async (role: RoleProcess): Promise<number> => {
    const exited = new Promise((resolve) => role.child.once('exit', resolve));
    const at = performance.now();
    role.child.kill('SIGKILL');
    alive.delete(role);
    await exited;
    return at;
  };
  /** Backend pids holding a document's claim (the document-claims sessions of this test's read-model database). */
  const claimHolders = async (documentId: string): Promise<number[]> =>
    (
      await readModels.sql.query<{ pid: number }>(
        `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database() AND a.application_name = 'document-claims'
            AND l.classid = x'4b414443'::int::oid AND l.objid = hashtext($1)::oid AND l.objsubid = 2`,
        [documentId],
      )
    ).map((row) => row.pid);

  beforeAll(async () => {
    stub = await startOpenAiStubServer({ fallback: { kind: 'stream', tokens: ANSWER, delayMs: TOKEN_DELAY_MS } });
    streaming = trackSettled(stub);
    [events, readModels] = await Promise.all([createTestPostgres({ max: 2 }), createTestPostgres({ max: 2 })]);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ka-role-takeover-'));
    env = {
      ...sharedRoleEnv({ dataDir, events, readModels, stubBaseUrl: stub.baseURL, model: MODEL, logLevel: 'error' }),
      // Writes made while the projectors change hands wait until they show (the time to a visible deposit is measured)
      // rather than answering before that with extensions.notYetVisible.
      READ_YOUR_WRITES_TIMEOUT_MS: '30000',
    };
    // The first projector process creates the read-model tables and takes every projector's lease.
    const projector1 = await start('projector');
    const [projector2, saga1, saga2, firstWorker, apiRole] = await Promise.all(['projector', 'saga', 'saga', 'worker', 'api'].map(start));
    projectors = [projector1, projector2!];
    sagas = [saga1!, saga2!];
    worker1 = firstWorker!;
    api = apiRole!.url!;

    const register = async (name: string): Promise<User> => {
      const { register } = await gql<{ register: { accessToken: string; user: { id: string } } }>(
        api,
        `mutation($e: String!) { register(email: $e, password: "correct horse battery") { accessToken user { id } } }`,
        { e: `${name}@example.com` },
      );
      return { name, id: register.user.id, token: register.accessToken };
    };
    admin = await register('admin'); // the first account is the admin
    members = await Promise.all(['alice', 'bob'].map(register));
    for (const member of members) {
      member.kb = (await gql<{ createKnowledgeBase: { id: string } }>(api, `mutation($n: String!) { createKnowledgeBase(name: $n) { id } }`, { n: `${member.name}'s pumps` }, member.token)).createKnowledgeBase.id;
    }
    // Worker 1 alone takes the first documents, so the claims session it opens is known to be its own; then worker 2.
    await Promise.all(members.map((member, i) => upload(api, member, `intro-${i}.md`, manual(100 + i, 2))));
    worker1Claims = (
      await poll('worker 1 claiming a document', async () => {
        const rows = await readModels.sql.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'document-claims'`);
        return rows[0];
      })
    ).value.pid;
    worker2 = start('worker');
    worker2.catch(() => undefined); // awaited by the worker test
    for (const user of [admin, ...members]) {
      await poll(`${user.name}'s signup grant`, async () => ((await gql<{ wallet: { balance: number } }>(api, `{ wallet { balance } }`, {}, user.token)).wallet.balance > 0 ? true : undefined), 30_000, 100);
    }
    load = new Load(api, admin, members);
    load.start();
  }, 240_000);

  afterAll(async () => {
    if (load) await load.stop().catch(() => undefined);
    await worker2?.catch(() => undefined);
    await Promise.all([...alive].map(stopRole));
    await stub?.close();
    await events?.drop();
    await readModels?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (Object.keys(measured).length > 0) console.log(`takeover after SIGKILL (ms from the kill): ${JSON.stringify(measured)}`);
  });

  it('the billing saga: the standby takes the lease within ~1 s of the holder’s SIGKILL and settles the answer it had in hand', async () => {
    const billing = (health: Health) => health.services.find((s) => s.name === 'billing saga')?.status;
    const { value: running } = await poll('one saga running, one standing by', async () => {
      const statuses = await Promise.all(sagas.map(async (saga) => billing(await healthOf(saga))));
      return [...statuses].sort().join() === 'running,standby' ? statuses.indexOf('running') : undefined;
    });
    const active = sagas[running]!;
    const standby = sagas[1 - running]!;

    const { value: inHand } = await poll('an answer being streamed', () => (inFlight().length > 0 ? inFlight() : undefined));
    const killedAt = await kill(active);
    const takeover = await poll('the standby saga running', async () => (billing(await healthOf(standby)) === 'running' ? true : undefined));
    // Work moves again: the new holder calls the model for a turn (a turn waiting, or one asked since).
    const resumed = await poll('a model call after the kill', () => (stub.requests.some((r) => r.receivedAt > killedAt) ? true : undefined), 30_000);
    const questions = [...load.turns.keys()].filter((q) => inHand.some((r) => JSON.stringify(r.body.messages).includes(q)));
    expect(questions.length).toBeGreaterThan(0);
    const ended = await poll('the turns in hand ended', async () => {
      const statuses: string[] = [];
      for (const question of questions) {
        const { turnId, user } = load.turns.get(question)!;
        if (!turnId) return undefined;
        const { turn } = await gql<{ turn: { status: string } }>(api, `query($id: ID!) { turn(id: $id) { status } }`, { id: turnId }, user.token);
        if (!ENDED.includes(turn.status)) return undefined;
        statuses.push(turn.status);
      }
      return statuses;
    }, 30_000, 50);
    // A generation cut off with its process cannot be resumed: the new holder ends it failed and releases its hold.
    for (const status of ended.value) expect(['failed', 'completed']).toContain(status);
    measured.sagaRunning = Math.round(takeover.at - killedAt);
    measured.sagaModelCall = Math.round(resumed.at - killedAt);
    measured.sagaTurnInHandEnded = Math.round(ended.at - killedAt);
    expect(measured.sagaRunning).toBeLessThan(SAGA_STANDBY_MS + SLACK_MS);
    expect(measured.sagaTurnInHandEnded).toBeLessThan(SAGA_STANDBY_MS + SLACK_MS + 2_000);
  }, 60_000);

  it('the projectors: the standby process takes every lease within ~5 s of the holder’s SIGKILL; writes are visible again', async () => {
    const runningCount = (health: Health) => health.projectors.filter((p) => p.status === 'running').length;
    const healths = await Promise.all(projectors.map(healthOf));
    const index = healths.findIndex((h) => runningCount(h) === h.projectors.length && h.projectors.length > 0);
    expect(index, JSON.stringify(healths)).toBeGreaterThanOrEqual(0);
    const active = projectors[index]!;
    const standby = projectors[1 - index]!;
    expect(healths[1 - index]!.projectors.every((p) => p.status === 'standby')).toBe(true);

    await poll('an answer being streamed', () => (inFlight().length > 0 ? true : undefined));
    const killedAt = await kill(active);
    const takeover = await poll('the standby process running every projector', async () => {
      const health = await healthOf(standby);
      return runningCount(health) === health.projectors.length ? health : undefined;
    }, 30_000);
    expect(takeover.value.status).toBe('ok');
    // A deposit made after the kill waits for the wallets read model (read your writes): it answers once the new
    // holder has caught up.
    const visible = await poll('a deposit made after the kill answered', () => (load.deposits.some((d) => d.startedAt > killedAt && d.doneAt) ? true : undefined), 30_000);
    measured.projectorsRunning = Math.round(takeover.at - killedAt);
    measured.projectorsDepositVisible = Math.round(visible.at - killedAt);
    expect(measured.projectorsRunning).toBeLessThan(PROJECTOR_LEASE_CHECK_MS + SLACK_MS);
  }, 60_000);

  it('the worker: a document the killed worker held is claimed by the other within ~1 s and indexed', async () => {
    await load.stopUploads();
    const second = await worker2;
    const workers = [worker1, second];
    for (const worker of workers) {
      expect((await healthOf(worker)).services).toContainEqual({ name: 'document pipeline', status: 'running' });
    }
    const documents = await Promise.all(members.map(async (member, i) => ({ member, id: await upload(api, member, `manual-${i}.md`, manual(i + 1, 20)) })));
    const { value: held } = await poll('a document claimed', async () => {
      for (const { id } of documents) {
        const [pid] = await claimHolders(id);
        if (pid !== undefined) return { id, pid };
      }
      return undefined;
    }, 30_000, 10);
    const victim = held.pid === worker1Claims ? worker1 : second;
    const orphans = (await Promise.all(documents.map(async (d) => ((await claimHolders(d.id)).includes(held.pid) ? d : undefined)))).filter((d) => d !== undefined);
    expect(orphans.length).toBeGreaterThan(0);
    const killedAt = await kill(victim);
    let claimedAt: number | undefined;
    const indexed = await poll('the killed worker’s documents indexed by the other', async () => {
      let done = 0;
      for (const { id, member } of orphans) {
        const holders = await claimHolders(id);
        if (holders.some((pid) => pid !== held.pid)) claimedAt ??= performance.now();
        if ((await documentStatus(api, member, id)) === 'indexed') done++;
      }
      return done === orphans.length ? true : undefined;
    }, 60_000, 10);
    await Promise.all(documents.map(({ id, member }) => poll(`document ${id} indexed`, async () => ((await documentStatus(api, member, id)) === 'indexed' ? true : undefined), 60_000, 100)));
    expect(claimedAt, 'the other worker was seen holding the orphaned claim').toBeDefined();
    measured.workerClaimed = Math.round(claimedAt! - killedAt);
    measured.workerIndexed = Math.round(indexed.at - killedAt);
    measured.workerOrphans = orphans.length;
    expect(measured.workerClaimed).toBeLessThan(CLAIM_RETRY_MS + SLACK_MS);
  }, 90_000);

  describe('after the kills', () => {
    let store: EventStore;
    let log: RecordedEvent[];
    const ofType = (...types: string[]) => log.filter((e) => types.includes(e.type));

    beforeAll(async () => {
      await load.stop();
      expect(load.errors).toEqual([]);
      const sealed = await openEventStore({ url: events.url, dataDir });
      store = (await protectStoredPersonalData(sealed, readModels.sql)).eventStore;
      // Every turn asked has ended and every hold is settled in the read models.
      await poll('every turn ended and every hold settled', async () => {
        const [open] = await readModels.sql.query<{ turns: number; held: number }>(
          `SELECT (SELECT count(*)::int FROM chat_turns WHERE status NOT IN ('completed', 'stopped', 'failed', 'rejected')) AS turns,
                  (SELECT coalesce(sum(reserved), 0)::int FROM wallets) AS held`,
        );
        return open!.turns === 0 && open!.held === 0 ? true : undefined;
      }, 60_000, 100);
      log = await store.readAll();
    }, 120_000);
    afterAll(async () => {
      await store?.close();
    });

    it('no turn lost: every turn asked ended once, and its hold was taken once and captured or released once', async () => {
      const started = ofType('TurnStarted').map((e) => String(e.data.turnId));
      const asked = [...load.turns.values()].flatMap((t) => (t.turnId ? [t.turnId] : []));
      expect(started.length).toBeGreaterThan(10);
      expect(new Set(started)).toEqual(new Set(asked));
      const count = (types: string[], turnId: string) => ofType(...types).filter((e) => e.data.turnId === turnId).length;
      const rows = await readModels.sql.query<{ id: string; status: string }>(`SELECT id, status FROM chat_turns`);
      const status = new Map(rows.map((r) => [r.id, r.status]));
      const statuses: Record<string, number> = {};
      for (const turnId of started) {
        const ended = status.get(turnId)!;
        expect(ENDED, turnId).toContain(ended);
        statuses[ended] = (statuses[ended] ?? 0) + 1;
        expect(count(['TurnCompleted', 'TurnStopped', 'TurnFailed', 'TurnRejected'], turnId), turnId).toBe(1);
        if (ended === 'rejected') {
          expect(count(['ReservationDeclined'], turnId), turnId).toBe(1);
          expect(count(['FundsReserved', 'FundsCaptured', 'FundsReleased'], turnId), turnId).toBe(0);
        } else {
          expect(count(['FundsReserved'], turnId), turnId).toBe(1);
          expect(count(['FundsCaptured', 'FundsReleased'], turnId), turnId).toBe(1);
          expect(count(['TurnFundsCaptured', 'TurnFundsReleased'], turnId), turnId).toBe(1);
        }
      }
      expect(statuses.completed).toBeGreaterThan(0);
      console.log(`turns: ${JSON.stringify(statuses)}`);
    });

    it('wallets equal the log: deposits minus captures, one ledger line per wallet event, one signup grant per user', async () => {
      const users = [admin, ...members];
      for (const user of users) {
        const mine = log.filter((e) => e.streamId === `wallet-${user.id}`);
        const deposits = mine.filter((e) => e.type === 'FundsDeposited');
        const references = deposits.map((e) => String(e.data.reference));
        expect(new Set(references).size, user.name).toBe(references.length);
        expect(references.filter((r) => r.startsWith('signup'))).toHaveLength(1);
        const made = load.deposits.filter((d) => d.userId === user.id && d.doneAt);
        for (const d of made) expect(references).toContain(d.reference);
        const sum = (es: RecordedEvent[]) => es.reduce((total, e) => total + Number(e.data.amount), 0);
        const expected = sum(deposits) - sum(mine.filter((e) => e.type === 'FundsCaptured'));
        const [wallet] = await readModels.sql.query<{ balance: string; reserved: string; lines: number }>(
          `SELECT w.balance::text, w.reserved::text, (SELECT count(*)::int FROM wallet_ledger l WHERE l.user_id = w.user_id) AS lines FROM wallets w WHERE w.user_id = $1`,
          [user.id],
        );
        expect(Number(wallet!.balance), user.name).toBe(expected);
        expect(Number(wallet!.reserved), user.name).toBe(0);
        expect(wallet!.lines, user.name).toBe(mine.length);
      }
    });

    it('documents: every chunk once in the log and in the search index', async () => {
      const uploaded = ofType('DocumentUploaded').map((e) => String(e.data.documentId));
      expect(uploaded).toHaveLength(members.length * 2 + load.documents.length);
      for (const documentId of uploaded) {
        const stream = log.filter((e) => e.streamId === `document-${documentId}`);
        expect(stream.filter((e) => e.type === 'DocumentIndexed'), documentId).toHaveLength(1);
        expect(stream.filter((e) => e.type === 'DocumentParsed'), documentId).toHaveLength(1);
        const chunked = stream.filter((e) => e.type === 'DocumentChunked');
        const chunkIds = chunked.flatMap((e) => (e.data.chunks as { chunkId: string }[]).map((c) => c.chunkId));
        const embedded = stream.filter((e) => e.type === 'ChunksEmbedded').flatMap((e) => e.data.chunkIds as string[]);
        const total = Number(stream.find((e) => e.type === 'DocumentIndexed')!.data.chunkCount);
        expect(chunked.map((e) => e.data.part)).toEqual(Array.from({ length: chunked.length }, (_, i) => i + 1));
        expect(new Set(chunkIds).size).toBe(chunkIds.length);
        expect(chunkIds).toHaveLength(total);
        expect([...embedded].sort()).toEqual([...chunkIds].sort());
        const [row] = await readModels.sql.query<{ status: string; chunk_count: number; indexed: number }>(
          `SELECT status, chunk_count, (SELECT count(*)::int FROM chunks c WHERE c.document_id = d.id) AS indexed FROM documents d WHERE d.id = $1`,
          [documentId],
        );
        expect(row, documentId).toEqual({ status: 'indexed', chunk_count: total, indexed: total });
      }
    });

    it('every read model equals a fresh replay of the log (npm run replay -- all --verify)', async () => {
      const script = fileURLToPath(new URL('../scripts/replay.ts', import.meta.url));
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
      const child = spawn(process.execPath, ['--import', tsx, script, 'all', '--verify'], {
        env: { ...process.env, ...env, ROLE: 'all' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (data: Buffer) => (output += String(data)));
      child.stderr.on('data', (data: Buffer) => (output += String(data)));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code, output).toBe(0);
      expect(output).not.toMatch(/DIFFERENT/);
      // Every projector of the product, each once.
      const names = projectorNames(loadConfig({ ...process.env, ...env, ROLE: 'all' }));
      expect(output.match(/EQUAL to the live tables/g)?.length).toBe(names.length);
      for (const name of names) expect(output).toMatch(new RegExp(`${name}: EQUAL`));
    }, 60_000);
  });
});
