/**
 * Replay on a running embedded server (PGlite: its files belong to the server's process): an admin rebuilds every
 * read model from the log beside the live tables and verifies them while the server serves, watching progress over
 * graphql-ws; `npm run replay -- … --server` does the same from a terminal; a swap keeps the live answers right.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPOSIT, WALLET, createKnowledgeBase, ok, type WalletResult } from '../../query-side/resolvers/chat.testing.ts';
import { register, type Session } from '../../query-side/resolvers/identity.testing.ts';
import { errorCodes } from '../testing/graphql-clients.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';

const JOB = 'id phase finishedAt projections { name phase events fraction eventsPerSecond equal differences error }';
const REPLAY = `mutation($names: [String!]!, $verify: Boolean, $swap: Boolean) {
  replayProjections(names: $names, verify: $verify, swap: $swap) { ${JOB} } }`;
const PROGRESS = `subscription($jobId: ID!) { replayProgress(jobId: $jobId) { ${JOB} } }`;

interface ProjectionView {
  name: string;
  phase: string;
  events: number;
  fraction: number;
  eventsPerSecond: number | null;
  equal: boolean | null;
  differences: string[];
  error: string | null;
}
interface JobView {
  id: string;
  phase: string;
  finishedAt: string | null;
  projections: ProjectionView[];
}

const TSX = createRequire(import.meta.url).resolve('tsx/cli');
const REPLAY_CLI = fileURLToPath(new URL('../scripts/replay.ts', import.meta.url));

async function watchToEnd(app: TestApp, token: string, jobId: string): Promise<JobView[]> {
  const subscription = app.subscribe<{ replayProgress: JobView }>(PROGRESS, { jobId }, token);
  await subscription.done;
  return subscription.received.map((r) => {
    expect(r.errors).toBeUndefined();
    return r.data!.replayProgress;
  });
}

describe('replay on a running embedded server', () => {
  let app: TestApp;
  let admin: Session;
  let alice: Session;

  beforeAll(async () => {
    app = await startTestApp({ env: { SIGNUP_GRANT: '0' } });
    admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com', 'Alice');
    for (let i = 0; i < 20; i++) await ok(app, admin.accessToken, DEPOSIT, { userId: alice.user.id, amount: 1000 + i, reference: `r${i}` });
    await createKnowledgeBase(app, alice.accessToken, 'Pumps');
  }, 120_000);
  afterAll(async () => app?.close());

  it('rebuilds and verifies every projection while serving, with progress to the end', async () => {
    const started = (await ok<{ replayProjections: JobView }>(app, admin.accessToken, REPLAY, { names: ['all'], verify: true })).replayProjections;
    // The server keeps serving meanwhile.
    const wallet = (await ok<{ wallet: WalletResult }>(app, alice.accessToken, WALLET)).wallet;
    expect(wallet.balance).toBe(20 * 1000 + 190);

    const updates = await watchToEnd(app, admin.accessToken, started.id);
    const last = updates.at(-1)!;
    expect(last.phase).toBe('DONE');
    expect(last.finishedAt).not.toBeNull();
    expect(last.projections.map((p) => p.name)).toEqual(expect.arrayContaining(['users', 'wallets', 'knowledge-bases', 'conversations', 'documents']));
    for (const projection of last.projections) {
      expect(projection, projection.name).toMatchObject({ phase: 'DONE', equal: true, differences: [], error: null, fraction: 1 });
      expect(projection.events).toBeGreaterThan(20);
    }
    // Progress never goes back within a projection.
    for (const name of last.projections.map((p) => p.name)) {
      const fractions = updates.map((u) => u.projections.find((p) => p.name === name)!.fraction);
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    }
  }, 120_000);

  it('is for admins only, names known projections, and swaps a rebuild in without changing what is served', async () => {
    const refused = await app.gql(REPLAY, { names: ['all'] }, alice.accessToken);
    expect(errorCodes(refused.errors)).toEqual(['FORBIDDEN']);
    const unknown = await app.gql(REPLAY, { names: ['nonsense'] }, admin.accessToken);
    expect(errorCodes(unknown.errors)).toEqual(['BAD_USER_INPUT']);

    const before = (await ok<{ wallet: WalletResult }>(app, alice.accessToken, WALLET)).wallet;
    const started = (await ok<{ replayProjections: JobView }>(app, admin.accessToken, REPLAY, { names: ['wallets'], swap: true })).replayProjections;
    const last = (await watchToEnd(app, admin.accessToken, started.id)).at(-1)!;
    expect(last.phase).toBe('DONE');
    await ok(app, admin.accessToken, DEPOSIT, { userId: alice.user.id, amount: 5, reference: 'after-swap' });
    const after = (await ok<{ wallet: WalletResult }>(app, alice.accessToken, WALLET)).wallet;
    expect(after.balance).toBe(before.balance + 5);
    expect(after.ledger).toHaveLength(before.ledger.length + 1);
  }, 120_000);

  it('npm run replay -- all --verify --server: the CLI drives the running server, exit 0 and every projection equal', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [TSX, REPLAY_CLI, 'all', '--verify', '--server', app.url], {
      env: { ...process.env, KA_ADMIN_TOKEN: admin.accessToken },
      timeout: 120_000,
    });
    expect(stdout).toMatch(/replay [0-9a-f-]{36} on http/);
    expect(stdout).toMatch(/wallets: \d+ events in \d+ ms \(\d+ events\/s\), EQUAL to the live tables/);
    expect(stdout).not.toMatch(/DIFFERENT|FAILED/);

    const refused = await promisify(execFile)(process.execPath, [TSX, REPLAY_CLI, 'all', '--server', app.url], {
      env: { ...process.env, KA_ADMIN_TOKEN: alice.accessToken },
    }).catch((error: { code?: number; stderr?: string }) => error);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toMatch(/the server refused/);
  }, 180_000);
});
