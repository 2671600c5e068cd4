/**
 * Every step of the saga is safe to run again: a process that dies right after a step's side effect (the wallet
 * command, the search, part of the generation) and before recording its outcome is resumed by another runner
 * reading the turn's stream, and the money ends right: one hold per turn, closed once, nothing charged twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerGenerator } from '../../contracts/answer-generation.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { reservationIdOf } from '../../contracts/turns.ts';
import type { WalletCommand } from '../../contracts/wallet.ts';
import { createKnowledgeBaseCommands } from '../knowledge-base/knowledge-base-commands.ts';
import { createWorkspaceWalletCommands } from '../wallet/workspace-funding.ts';
import { createWorkspaceCommands } from '../workspaces/workspace-commands.ts';
import type { Turns, TurnsDeps } from './create-turns.ts';
import { scriptedGenerator } from './scripted-generator.testing.ts';
import { memoryCheckpoints, openTurnsFixture, type TurnsFixture } from './turns.testing.ts';
import type { WalletPort } from './wallet-steps.ts';

const TOKENS = ['Pumps ', 'move ', 'water ', '[1].'];
const generator = scriptedGenerator((request) => (request.question.startsWith('refused') ? { tokens: [], fail: 'unavailable' } : { tokens: TOKENS }));

/** The side effect happens, then the process "dies": its runner is aborted before the outcome is recorded. */
function crashingWallet(wallets: WalletPort, step: WalletCommand['type'], crash: AbortController): WalletPort {
  return {
    // One write after the other, so that the crash falls between them (the charge written with the answer: turns.int).
    decideAhead: () => Promise.reject(new Error('not deciding ahead in this crash test')),
    async execute(command, metadata) {
      const result = await wallets.execute(command, metadata);
      if (command.type === step) crash.abort();
      if (crash.signal.aborted) throw new Error(`crashed after ${step}`);
      return result;
    },
  };
}

/** The search ran (it is prefetched while the wallet decides), then the process dies before recording what it found. */
const crashingRecord = (store: EventStore, type: string, crash: AbortController): EventStore => ({
  ...store,
  append: async (streamId, events, expected) => {
    if (events.some((event) => event.type === type)) crash.abort();
    if (crash.signal.aborted) throw new Error(`crashed before recording ${type}`);
    return store.append(streamId, events, expected);
  },
  appendMany: async (parts) => {
    if (parts.some((part) => part.events.some((event) => event.type === type))) crash.abort();
    if (crash.signal.aborted) throw new Error(`crashed before recording ${type}`);
    return store.appendMany(parts);
  },
});

function crashingGenerator(after: number, crash: AbortController): AnswerGenerator {
  return {
    ...generator,
    async *generate(request) {
      let deltas = 0;
      for await (const event of generator.generate(request)) {
        yield event;
        if (event.type === 'delta' && ++deltas === after) {
          crash.abort();
          throw new Error('crashed while generating');
        }
      }
    },
  };
}

describe.each(['pglite', 'postgres'] as const)('saga steps run again on %s', (kind) => {
  let fx: TurnsFixture;
  beforeAll(async () => {
    fx = await openTurnsFixture(kind, { generator });
  });
  afterAll(async () => {
    await fx?.close();
  });

  const drive = (turns: Turns, turnId: string, signal = new AbortController().signal) => turns.runner.drive(turnId, signal);

  /** Asks as a fresh user through a runner built with `crashing(crash)`, drives until the crash, resumes elsewhere. */
  async function crashAndResume(userId: string, question: string, crashing: (crash: AbortController) => Partial<TurnsDeps>) {
    const { actor, knowledgeBaseId } = await fx.addUser(userId, 1_000_000);
    const crash = new AbortController();
    const doomed = fx.newTurns(crashing(crash));
    const { id } = await doomed.commands.ask(actor, { knowledgeBaseId, question, maxTokens: 100 });
    // The doomed runner ends at the crash, or with the crash's error when it struck while recording.
    await drive(doomed, id, crash.signal).catch((error: unknown) => expect(String(error)).toMatch(/crashed/));
    expect(crash.signal.aborted).toBe(true);
    expect((await doomed.runner.load(id)).state.end).toBeNull();
    const state = await drive(fx.newTurns(), id);
    expect(state.end).not.toBeNull();
    const events = await fx.walletEvents(userId);
    const about = (type: string) => events.filter((e) => e.type === type && 'reservationId' in e.data && e.data.reservationId === reservationIdOf(id));
    expect(about('FundsReserved')).toHaveLength(1);
    expect(about('FundsCaptured').length + about('FundsReleased').length).toBe(1);
    return { state, wallet: await fx.expectSoundWallet(userId) };
  }

  it('resumes after a crash right after the reservation: one hold, charged once', async () => {
    const { state, wallet } = await crashAndResume('c-reserve', 'What do pumps do?', (crash) => ({
      wallets: crashingWallet(fx.wallets, 'ReserveFunds', crash),
    }));
    expect(state.end).toMatchObject({ type: 'TurnCompleted' });
    expect(wallet.balance).toBe(1_000_000 - (state.end as { cost: number }).cost);
  });

  it('resumes after a crash right after retrieval', async () => {
    const { state } = await crashAndResume('c-retrieve', 'What do pumps do?', (crash) => ({
      store: crashingRecord(fx.store, 'RetrievalCompleted', crash),
    }));
    expect(state.end).toMatchObject({ type: 'TurnCompleted' });
  });

  it('fails, unbilled, a turn whose process died while generating, and releases its hold', async () => {
    const { state, wallet } = await crashAndResume('c-generate', 'What do pumps do?', (crash) => ({
      generator: crashingGenerator(2, crash),
    }));
    expect(state.answer).toMatchObject({ kind: 'failed', failure: 'lost' });
    expect(state.end).toMatchObject({ type: 'TurnFailed' });
    expect(wallet.balance).toBe(1_000_000);
  });

  it('resumes after a crash right after the capture: charged once', async () => {
    const { state, wallet } = await crashAndResume('c-capture', 'What do pumps do?', (crash) => ({
      wallets: crashingWallet(fx.wallets, 'CaptureFunds', crash),
    }));
    expect(state.end).toMatchObject({ type: 'TurnCompleted' });
    expect(state.settlement).toMatchObject({ kind: 'captured' });
    expect(wallet.balance).toBe(1_000_000 - (state.end as { cost: number }).cost);
  });

  it('resumes after a crash right after the release: released once', async () => {
    const { state, wallet } = await crashAndResume('c-release', 'refused question', (crash) => ({
      wallets: crashingWallet(fx.wallets, 'ReleaseFunds', crash),
    }));
    expect(state.end).toMatchObject({ type: 'TurnFailed' });
    expect(wallet.balance).toBe(1_000_000);
  });

  it('resumes a turn a workspace pays for on the workspace\'s wallet after a crash after the hold or the capture', async () => {
    const workspaces = createWorkspaceCommands({ store: fx.store, now: () => new Date(), newId: () => crypto.randomUUID() });
    const knowledgeBases = createKnowledgeBaseCommands({ store: fx.store, now: () => new Date(), newId: () => crypto.randomUUID() });
    const { actor } = await fx.addUser('c-team-owner', 1_000_000);
    const workspaceId = (await workspaces.create(actor, 'Crash team', {})).workspace.id;
    const { knowledgeBase } = await knowledgeBases.create(actor.id, { name: 'Team KB', description: null, workspaceId }, {});
    await createWorkspaceWalletCommands({ store: fx.store, wallets: fx.wallets, workspaces }).fund(actor, { workspaceId, amount: 500_000, reference: 'f' }, {});
    let charged = 0;
    for (const step of ['ReserveFunds', 'CaptureFunds'] as const) {
      const crash = new AbortController();
      const doomed = fx.newTurns({ wallets: crashingWallet(fx.wallets, step, crash) });
      const { id } = await doomed.commands.ask(actor, { knowledgeBaseId: knowledgeBase.id, question: 'What do pumps do?', maxTokens: 100 });
      await drive(doomed, id, crash.signal).catch((error: unknown) => expect(String(error)).toMatch(/crashed/));
      expect(crash.signal.aborted).toBe(true);
      const state = await drive(fx.newTurns(), id);
      expect(state.started!.walletId).toBe(workspaceId);
      expect(state.end).toMatchObject({ type: 'TurnCompleted' });
      charged += (state.end as { cost: number }).cost;
      const about = (await fx.walletEvents(workspaceId)).filter((e) => 'reservationId' in e.data && e.data.reservationId === reservationIdOf(id));
      expect(about.map((e) => e.type)).toEqual(['FundsReserved', 'FundsCaptured']);
    }
    expect((await fx.expectSoundWallet(workspaceId)).balance).toBe(500_000 - charged);
    expect((await fx.expectSoundWallet('c-team-owner')).balance).toBe(500_000);
  });

  it('changes nothing when a finished turn is driven again, by the same runner or another', async () => {
    const { id } = await fx.turns.commands.ask(fx.actor, { knowledgeBaseId: fx.knowledgeBaseId, question: 'Once?' });
    await drive(fx.turns, id);
    const head = await fx.store.headPosition();
    await drive(fx.turns, id);
    await drive(fx.newTurns(), id);
    expect(await fx.store.headPosition()).toBe(head);
  });

  it('keeps the money right when two runners drive the same turns at once (no lease)', async () => {
    const { actor, knowledgeBaseId } = await fx.addUser('racers', 1_000_000);
    const ids = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => (await fx.turns.commands.ask(actor, { knowledgeBaseId, question: `Race ${i}?` })).id),
    );
    const [a, b] = [fx.newTurns(), fx.newTurns()];
    const states = await Promise.all(ids.flatMap((id) => [drive(a, id), drive(b, id)]));
    expect(states.every((s) => s.end !== null)).toBe(true);
    const wallet = await fx.expectSoundWallet('racers');
    const events = await fx.walletEvents('racers');
    expect(events.filter((e) => e.type === 'FundsReserved')).toHaveLength(ids.length);
    const charged = events.flatMap((e) => (e.type === 'FundsCaptured' ? [e.data.amount] : []));
    expect(wallet.balance).toBe(1_000_000 - charged.reduce((sum, n) => sum + n, 0));
    for (const id of ids) {
      const { state } = await a.runner.load(id);
      if (state.settlement?.kind === 'captured') expect(state.answer?.kind).not.toBe('failed');
    }
  });

  it('resumes unfinished turns when a saga starts later, and keeps its checkpoint behind them', async () => {
    const checkpoints = memoryCheckpoints();
    const { actor, knowledgeBaseId } = await fx.addUser('latecomer', 1_000_000);
    const turns = fx.newTurns({ checkpoints });
    const { id } = await turns.commands.ask(actor, { knowledgeBaseId, question: 'Anyone there?' });
    const saga = turns.startSaga();
    try {
      const state = await fx.settled(id);
      expect(state.end).toMatchObject({ type: 'TurnCompleted' });
      await expect.poll(() => checkpoints.saved.get('turn-saga') ?? '0-0', { timeout: 10_000 }).not.toBe('0-0');
    } finally {
      await saga.stop();
    }
  });
});
