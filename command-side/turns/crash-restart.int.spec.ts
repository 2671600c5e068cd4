/**
 * The saga process is killed (SIGKILL, no goodbye) at each step of a turn, then a new saga process is started on
 * the same database: every turn ends (completed, or failed when the answer itself was lost), every reservation ends
 * captured or released, nothing is charged twice. On the Postgres server and on PGlite kept in a directory.
 */
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walletStream } from '../../contracts/streams.ts';
import { reservationIdOf } from '../../contracts/turns.ts';
import { parseWalletEvent } from '../../contracts/wallet.ts';
import { createTestPostgres, type TestDatabase } from '../../ops/testing/databases.ts';
import { createKnowledgeBaseCommands } from '../knowledge-base/knowledge-base-commands.ts';
import { walletViolations } from '../wallet/invariants.ts';
import { registerTestUser } from '../wallet/testing.ts';
import { createTurns } from './create-turns.ts';
import { openTarget, sagaDeps, type CrashTarget, type OpenedTarget } from './crash-saga.testing.ts';
import type { TurnState } from './state.ts';

const CHILD = fileURLToPath(new URL('./crashing-saga.testing.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const BALANCE = 1_000_000;

function runCrashingSaga(target: CrashTarget, crashAt: string): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: ['--import', TSX],
      env: { ...process.env, CRASH_KIND: target.kind, CRASH_LOCATION: target.location, CRASH_AT: crashAt },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 90_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? code);
    });
  });
}

/** Where the child died, read from the turn's stream: the step's side effect is there, its outcome is not. */
const DIED_BETWEEN: Record<string, (state: TurnState, walletTypes: string[]) => void> = {
  started: (state, wallet) => expect([state.funds, wallet]).toEqual([null, ['FundsDeposited']]),
  reserve: (state, wallet) => expect([state.funds, wallet]).toEqual([null, ['FundsDeposited', 'FundsReserved']]),
  // The hold, the search and GenerationStarted are recorded in one append: dying before it leaves the wallet's hold
  // unrecorded on the turn (the restarted saga reads the wallet's decision back).
  retrieve: (state, wallet) => expect([state.funds, state.retrieval, wallet]).toEqual([null, null, ['FundsDeposited', 'FundsReserved']]),
  generate: (state) => expect([state.generationStarted, state.answer]).toEqual([true, null]),
  capture: (state, wallet) => expect([state.settlement, wallet.at(-1)]).toEqual([null, 'FundsCaptured']),
  // The answer, the wallet's capture and the turn's end in one write: nothing is left to do, nothing to charge again.
  settle: (state, wallet) => expect([state.settlement?.kind, state.end?.type, wallet.at(-1)]).toEqual(['captured', 'TurnCompleted', 'FundsCaptured']),
  release: (state, wallet) => expect([state.settlement, wallet.at(-1)]).toEqual([null, 'FundsReleased']),
  finish: (state) => expect(state.end?.type).toBe('TurnCompleted'),
};
const STEPS = Object.keys(DIED_BETWEEN);

describe.each(['postgres', 'pglite'] as const)('saga killed at each step on %s, then restarted', (kind) => {
  let target: CrashTarget;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (kind === 'postgres') {
      const db: TestDatabase = await createTestPostgres({ max: 1 });
      target = { kind, location: db.url };
      cleanup = () => db.drop();
    } else {
      const dir = await mkdtemp(path.join(tmpdir(), 'saga-crash-'));
      target = { kind, location: dir };
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
  });
  afterAll(async () => {
    await cleanup?.();
  });

  async function withTarget<T>(use: (opened: OpenedTarget) => Promise<T>): Promise<T> {
    const opened = await openTarget(target);
    try {
      return await use(opened);
    } finally {
      await opened.close();
    }
  }

  it.each(STEPS)('resumes a turn whose saga died at "%s"', { timeout: 180_000 }, async (step) => {
    const userId = `crash-${step}`;
    // Asked with no saga running (an API process), then the database is left to the child alone (PGlite).
    const turnId = await withTarget(async (opened) => {
      const { store } = opened;
      const deps = sagaDeps(opened);
      await registerTestUser(store, userId);
      await deps.wallets.execute({ type: 'Deposit', data: { userId, amount: BALANCE, reference: `seed-${userId}` } });
      const knowledgeBases = createKnowledgeBaseCommands({ store, now: () => new Date(), newId: () => crypto.randomUUID() });
      const { knowledgeBase } = await knowledgeBases.create(userId, { name: 'Pumps', description: null }, {});
      const question = step === 'release' ? 'refused question' : 'What do pumps do?';
      const asked = await createTurns(deps).commands.ask({ id: userId, role: 'member' }, { knowledgeBaseId: knowledgeBase.id, question, maxTokens: 50 });
      return asked.id;
    });
    expect(await runCrashingSaga(target, step)).toBe('SIGKILL');

    await withTarget(async (opened) => {
      const walletTypes = async () => (await opened.store.readStream(walletStream(userId))).map((e) => e.type);
      const turns = createTurns(sagaDeps(opened));
      DIED_BETWEEN[step]!((await turns.runner.load(turnId)).state, await walletTypes());
      const saga = turns.startSaga();
      let state: TurnState;
      try {
        for (const deadline = Date.now() + 60_000; ; ) {
          state = (await turns.runner.load(turnId)).state;
          if (state.end) break;
          if (Date.now() > deadline) throw new Error(`turn still unfinished after the restart: ${JSON.stringify(state)}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } finally {
        await saga.stop();
      }
      expect(state.end.type).toBe(step === 'generate' || step === 'release' ? 'TurnFailed' : 'TurnCompleted');
      const events = (await opened.store.readStream(walletStream(userId))).map((e) => parseWalletEvent(e));
      const about = (type: string) => events.filter((e) => e.type === type && 'reservationId' in e.data && e.data.reservationId === reservationIdOf(turnId));
      expect(about('FundsReserved')).toHaveLength(1);
      expect(about('FundsCaptured').length + about('FundsReleased').length).toBe(1);
      const { violations, state: wallet } = walletViolations(events);
      expect(violations).toEqual([]);
      expect(wallet.reserved).toBe(0);
      const cost = state.end.type === 'TurnCompleted' ? state.end.cost : 0;
      expect(wallet.balance).toBe(BALANCE - cost);
    });
  });
});
