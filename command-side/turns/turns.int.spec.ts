/**
 * The billing saga end to end on a real event store (PGlite and the Postgres server): every way a turn ends, what
 * the wallet shows after each, and the deadline; a workspace's wallet paying for its knowledge bases. Idempotent
 * re-runs and crashes are in saga-rerun.int.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerGenerator } from '../../contracts/answer-generation.ts';
import { isDomainError } from '../../contracts/errors.ts';
import type { ChunkSearchPort } from '../../contracts/chunk-search.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { costOf } from '../../contracts/wallet.ts';
import { walletStream, workspaceStream } from '../../contracts/streams.ts';
import { handleCommand } from '../decider.ts';
import { createKnowledgeBaseCommands } from '../knowledge-base/knowledge-base-commands.ts';
import { createWorkspaceWalletCommands } from '../wallet/workspace-funding.ts';
import { createWorkspaceCommands } from '../workspaces/workspace-commands.ts';
import { workspaceDecider } from '../workspaces/workspace-decider.ts';
import type { TurnSaga, Turns } from './create-turns.ts';
import { createExtractiveAnswerer } from './generation/index.ts';
import { PROMPT_TOKENS, scriptedGenerator, type Script } from './scripted-generator.testing.ts';
import { fixedSearch, openTurnsFixture, PRICES, type TurnsFixture } from './turns.testing.ts';
import type { TurnState } from './state.ts';
import type { WalletPort } from './wallet-steps.ts';

const PRICE = PRICES['test-model'];
const ANSWER = ['A ', 'pump ', 'moves ', 'water ', 'uphill ', '[1].'];

/** The script each question gets, by its first word. */
function byQuestion(request: { question: string }): Script {
  const [word] = request.question.split(' ');
  switch (word) {
    case 'slow':
      return { tokens: Array.from({ length: 200 }, (_, i) => `t${i} `), delayMs: 20 };
    case 'refused':
      return { tokens: [], fail: 'unavailable' };
    case 'broken':
      return { tokens: ANSWER, fail: 'interrupt', failAfter: 3 };
    case 'hanging':
      return { tokens: ['Thinking '], hang: true };
    case 'unreported':
      return { tokens: ANSWER, reportUsage: false };
    default:
      return { tokens: ANSWER };
  }
}

/** Questions starting with "Extractive:" go to the real extractive answerer, the others to their script. */
function scriptedOrExtractive(): AnswerGenerator {
  const scripted = scriptedGenerator(byQuestion);
  const extractive = createExtractiveAnswerer({ model: 'test-model' });
  return {
    ...scripted,
    generate: (request) => (request.question.startsWith('Extractive:') ? extractive : scripted).generate(request),
  };
}

describe.each(['pglite', 'postgres'] as const)('turn saga on %s', (kind) => {
  let fx: TurnsFixture;
  let saga: TurnSaga;
  beforeAll(async () => {
    fx = await openTurnsFixture(kind, { generator: scriptedOrExtractive(), reservationTimeoutMs: 1500 });
    saga = fx.turns.startSaga();
  });
  afterAll(async () => {
    await saga?.stop();
    await fx?.close();
  });

  const ask = async (question: string, actor = fx.actor, knowledgeBaseId = fx.knowledgeBaseId) =>
    fx.turns.commands.ask(actor, { knowledgeBaseId, question, maxTokens: 300 });

  it('answers, streams gap-free chunks, captures the actual cost and completes', async () => {
    const { actor, knowledgeBaseId } = await fx.addUser('happy', 1_000_000);
    const asked = await ask('What does a pump do?', actor, knowledgeBaseId);
    expect(asked).toMatchObject({ status: 'reserving', answer: null, cost: null });
    const state = await fx.settled(asked.id);
    const view = await fx.turns.commands.turn(actor, asked.id);
    const usage = { promptTokens: PROMPT_TOKENS, completionTokens: ANSWER.length };
    expect(view).toMatchObject({ status: 'completed', answer: ANSWER.join(''), cost: costOf(PRICE, usage), error: null });
    expect(view.citations).toEqual([expect.objectContaining({ n: 1, chunkId: 'doc-1:1:0', documentName: 'Pumps' })]);
    expect(state.retrieval?.map((c) => [c.chunkId, c.revision, c.score])).toEqual([
      ['doc-1:1:0', 1, 0.9],
      ['doc-1:1:1', 1, 0.5],
    ]);
    const chunks = fx.feed.of(asked.id);
    expect(chunks.map((c) => c.seq)).toEqual(ANSWER.map((_, i) => i + 1).concat(ANSWER.length + 1));
    expect(chunks.at(-1)).toMatchObject({ done: true, status: 'completed', citations: view.citations });
    const wallet = await fx.expectSoundWallet('happy');
    expect(wallet.balance).toBe(1_000_000 - view.cost!);
    expect((await fx.walletEvents('happy')).map((e) => e.type)).toEqual(['FundsDeposited', 'FundsReserved', 'FundsCaptured']);
  });

  it('records the hold, the search and GenerationStarted in one append before the provider call, and the answer with its charge and end in one write; a failed early search is retried', async () => {
    /** The turn stream's appends, as lists of event types. */
    // Each write that touches the turn's stream, with the events of every stream it writes.
    const recording = (appends: string[][]): EventStore => ({
      ...fx.store,
      append: (streamId, events, expected) => {
        if (streamId.startsWith('turn-')) appends.push(events.map((event) => event.type));
        return fx.store.append(streamId, events, expected);
      },
      appendMany: (parts) => {
        if (parts.some((part) => part.streamId.startsWith('turn-'))) appends.push(parts.flatMap((part) => part.events.map((event) => event.type)));
        return fx.store.appendMany(parts);
      },
    });
    const drive = async (turns: Turns, question: string, userId: string) => {
      const { actor, knowledgeBaseId } = await fx.addUser(userId, 1_000_000);
      const { id } = await turns.commands.ask(actor, { knowledgeBaseId, question, maxTokens: 300 });
      return turns.runner.drive(id, new AbortController().signal);
    };

    // These turns are driven here, by runners of their own: the shared saga, following the log, would race them for
    // the same turns (a second runner finds GenerationStarted without its own generation and records it lost).
    await saga.stop();
    try {
      await driveOwnTurns(drive, recording);
    } finally {
      saga = fx.turns.startSaga();
    }
  });

  it("starts on a new question before the question's write is confirmed, and holds nothing for a question whose write fails", async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const typesOf = (parts: Parameters<EventStore['appendMany']>[0]) => parts.flatMap((part) => part.events.map((event) => event.type));
    // The question's write is stored at once, but its confirmation waits until the saga sends the hold (at most 2 s),
    // and the saga's reading of the log does not see the question before that: a saga that waited for either would
    // send the hold only after the confirmation.
    const seen: string[] = [];
    let holdSent!: () => void;
    const sent = new Promise<void>((resolve) => (holdSent = resolve));
    let questionConfirmed!: () => void;
    const confirmed = new Promise<void>((resolve) => (questionConfirmed = resolve));
    const heldBack: EventStore = {
      ...fx.store,
      subscribeToAll: (options) => {
        const log = fx.store.subscribeToAll(options);
        return {
          nextBatch: async (max) => {
            const batch = await log.nextBatch(max);
            if (batch.some((event) => event.type === 'TurnStarted' && event.data.userId === 'ahead')) await confirmed;
            return batch;
          },
          close: () => log.close(),
          [Symbol.asyncIterator]: () => log[Symbol.asyncIterator](),
        };
      },
      appendMany: async (parts) => {
        const types = typesOf(parts);
        if (types.includes('TurnStarted')) {
          seen.push('question sent');
          const stored = await fx.store.appendMany(parts);
          await Promise.race([sent, sleep(2000)]);
          seen.push('question confirmed');
          questionConfirmed();
          return stored;
        }
        if (types.includes('GenerationStarted')) {
          seen.push('hold sent');
          holdSent();
        }
        return fx.store.appendMany(parts);
      },
    };
    // The question's write fails (after the saga has had time to go ahead): nothing of it is stored.
    const failing: EventStore = {
      ...fx.store,
      appendMany: async (parts) => {
        if (!typesOf(parts).includes('TurnStarted')) return fx.store.appendMany(parts);
        await sleep(100);
        throw new Error('the database is unavailable');
      },
    };

    await saga.stop();
    try {
      const ahead = fx.newTurns({ store: heldBack });
      const aheadSaga = ahead.startSaga();
      try {
        const { actor, knowledgeBaseId } = await fx.addUser('ahead', 1_000_000);
        const { id } = await ahead.commands.ask(actor, { knowledgeBaseId, question: 'What does a pump do?', maxTokens: 300 });
        expect((await fx.settled(id)).end?.type).toBe('TurnCompleted');
        expect(seen).toEqual(['question sent', 'hold sent', 'question confirmed']);
        expect((await fx.expectSoundWallet('ahead')).balance).toBeLessThan(1_000_000);
      } finally {
        await aheadSaga.stop();
      }

      const broken = fx.newTurns({ store: failing });
      const brokenSaga = broken.startSaga();
      try {
        const { actor, knowledgeBaseId } = await fx.addUser('unwritten', 1_000_000);
        await expect(broken.commands.ask(actor, { knowledgeBaseId, question: 'What does a pump do?', maxTokens: 300 })).rejects.toThrow(/unavailable/);
        await sleep(300);
        await brokenSaga.stop();
        expect((await fx.walletEvents('unwritten')).map((event) => event.type)).toEqual(['FundsDeposited']);
      } finally {
        await brokenSaga.stop();
      }
    } finally {
      saga = fx.turns.startSaga();
    }
  });

  async function driveOwnTurns(
    drive: (turns: Turns, question: string, userId: string) => Promise<TurnState>,
    recording: (appends: string[][]) => EventStore,
  ): Promise<void> {
    const appends: string[][] = [];
    const state = await drive(fx.newTurns({ store: recording(appends) }), 'What does a pump do?', 'one-append');
    expect(state.end?.type).toBe('TurnCompleted');
    expect(appends).toEqual([
      ['ConversationStarted', 'ConversationTurnAdded', 'TurnStarted'],
      ['FundsReserved', 'TurnFundsReserved', 'RetrievalCompleted', 'GenerationStarted'],
      ['FundsCaptured', 'AnswerCompleted', 'TurnFundsCaptured', 'TurnCompleted'],
    ]);
    const wallet = await fx.expectSoundWallet('one-append');
    expect(wallet.balance).toBe(1_000_000 - (state.end as { cost: number }).cost);

    // A wallet that cannot decide ahead (or a write that met a concurrent change): the wallet's hold first, then the
    // turn records it with the search and GenerationStarted; the answer, then the wallet's capture, then the turn's
    // record of it and its end.
    const apart: string[][] = [];
    const wallets: WalletPort = {
      execute: (command, metadata) => fx.wallets.execute(command, metadata),
      decideAhead: () => Promise.reject(new Error('cannot decide ahead')),
    };
    const usual = await drive(fx.newTurns({ store: recording(apart), wallets }), 'What does a pump do?', 'usual-capture');
    expect(usual.end?.type).toBe('TurnCompleted');
    expect(apart.slice(1)).toEqual([
      ['TurnFundsReserved', 'RetrievalCompleted', 'GenerationStarted'],
      ['AnswerCompleted'],
      ['TurnFundsCaptured', 'TurnCompleted'],
    ]);
    expect((await fx.expectSoundWallet('usual-capture')).balance).toBe(1_000_000 - (usual.end as { cost: number }).cost);

    // The search failed while the wallet decided and again right after: the hold is recorded alone, and the
    // Retrieve step searches once more.
    let searches = 0;
    const flaky: ChunkSearchPort = {
      search: async (query) => {
        if (++searches <= 2) throw new Error('search index unavailable');
        return fixedSearch().search(query);
      },
    };
    const retried: string[][] = [];
    const after = await drive(fx.newTurns({ store: recording(retried), search: flaky }), 'What does a pump do?', 'search-retried');
    expect(after.end?.type).toBe('TurnCompleted');
    expect(after.retrieval).toHaveLength(2);
    expect(retried.slice(0, 4)).toEqual([['ConversationStarted', 'ConversationTurnAdded', 'TurnStarted'], ['FundsReserved', 'TurnFundsReserved'], ['RetrievalCompleted'], ['GenerationStarted']]);
  }

  it('remembers for a minute who asked a turn in this process, and only for them (answerStream then skips its read)', async () => {
    let clock = Date.now();
    const here = fx.newTurns({ now: () => new Date(clock) });
    const { actor, knowledgeBaseId } = await fx.addUser('asked-here', 1_000_000);
    const { id } = await here.commands.ask(actor, { knowledgeBaseId, question: 'What does a pump do?', maxTokens: 50 });
    expect(here.commands.askedHere(actor, id)).toBe(true);
    expect(here.commands.askedHere({ id: 'someone-else', role: 'member' }, id)).toBe(false);
    expect(fx.turns.commands.askedHere(actor, id)).toBe(false); // another process
    clock += 59_000;
    expect(here.commands.askedHere(actor, id)).toBe(true);
    clock += 1_000;
    expect(here.commands.askedHere(actor, id)).toBe(false);
    await fx.settled(id);
  });

  it('reserves the worst case: (prompt estimate + maxTokens) at the price', async () => {
    const asked = await ask('What does a pump do?');
    const state = await fx.settled(asked.id);
    expect(state.started!.reservationAmount).toBe(costOf(PRICE, { promptTokens: PROMPT_TOKENS + 80, completionTokens: 300 }));
    expect(state.funds).toMatchObject({ kind: 'reserved', amount: state.started!.reservationAmount });
  });

  it('rejects a question the wallet cannot cover, with INSUFFICIENT_FUNDS and nothing charged', async () => {
    const { actor, knowledgeBaseId } = await fx.addUser('poor', 10);
    const asked = await ask('What does a pump do?', actor, knowledgeBaseId);
    await fx.settled(asked.id);
    const view = await fx.turns.commands.turn(actor, asked.id);
    expect(view).toMatchObject({ status: 'rejected', errorCode: 'INSUFFICIENT_FUNDS', cost: 0, answer: null });
    expect(view.error).toMatch(/insufficient funds/);
    expect(fx.feed.of(asked.id)).toEqual([expect.objectContaining({ seq: 1, done: true, status: 'rejected' })]);
    expect((await fx.walletEvents('poor')).map((e) => e.type)).toEqual(['FundsDeposited', 'ReservationDeclined']);
    expect((await fx.expectSoundWallet('poor')).balance).toBe(10);
  });

  it('stops at the owner\'s word and charges the tokens generated so far', async () => {
    const { actor, knowledgeBaseId } = await fx.addUser('stopper', 1_000_000);
    const asked = await ask('slow question', actor, knowledgeBaseId);
    while (fx.feed.of(asked.id).length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    const stopping = await fx.turns.commands.stop(actor, asked.id);
    expect(['retrieving', 'generating', 'stopped']).toContain(stopping.status);
    await fx.settled(asked.id);
    const view = await fx.turns.commands.turn(actor, asked.id);
    expect(view.status).toBe('stopped');
    const deltas = fx.feed.of(asked.id).filter((c) => !c.done);
    expect(view.usage!.completionTokens).toBe(deltas.length);
    expect(deltas.length).toBeGreaterThanOrEqual(5);
    expect(deltas.length).toBeLessThan(200);
    expect(view.answer).toBe(deltas.map((c) => c.delta).join(''));
    expect(view.cost).toBe(costOf(PRICE, { promptTokens: PROMPT_TOKENS, completionTokens: deltas.length }));
    expect((await fx.expectSoundWallet('stopper')).balance).toBe(1_000_000 - view.cost!);
  });

  it('fails a refused or broken generation and releases the hold: nothing charged', async () => {
    const { actor, knowledgeBaseId } = await fx.addUser('unlucky', 1_000_000);
    for (const question of ['refused question', 'broken question']) {
      const asked = await ask(question, actor, knowledgeBaseId);
      await fx.settled(asked.id);
      const view = await fx.turns.commands.turn(actor, asked.id);
      expect(view).toMatchObject({ status: 'failed', cost: 0, errorCode: 'ANSWER_FAILED' });
    }
    expect((await fx.walletEvents('unlucky')).map((e) => e.type)).toEqual([
      'FundsDeposited',
      'FundsReserved',
      'FundsReleased',
      'FundsReserved',
      'FundsReleased',
    ]);
    expect((await fx.expectSoundWallet('unlucky')).balance).toBe(1_000_000);
  });

  it('charges usage counted locally when the provider reports none', async () => {
    const asked = await ask('unreported usage');
    const state = await fx.settled(asked.id);
    expect(state.answer).toMatchObject({ kind: 'completed', usage: { reported: false, completionTokens: ANSWER.length } });
  });

  it('answers with the extractive answerer through the same port: cited, counted locally, charged', async () => {
    const asked = await ask('Extractive: what does a pump move?');
    const state = await fx.settled(asked.id);
    expect(state.answer).toMatchObject({ kind: 'completed', usage: { reported: false } });
    const view = await fx.turns.commands.turn(fx.actor, asked.id);
    expect(view.answer).toMatch(/water uphill/);
    expect(view.citations.map((c) => c.chunkId)).toContain('doc-1:1:0');
    expect(view.cost).toBe(costOf(PRICE, view.usage!));
  });

  it('fails a turn whose answer misses the deadline, releases its hold, and the wallet refuses a late capture', async () => {
    const { actor, knowledgeBaseId } = await fx.addUser('late', 1_000_000);
    const asked = await ask('hanging question', actor, knowledgeBaseId);
    const state = await fx.settled(asked.id, 10_000);
    expect(state.answer).toMatchObject({ kind: 'failed', failure: 'deadline' });
    expect(state.settlement).toMatchObject({ kind: 'released' });
    const late = fx.wallets.execute({
      type: 'CaptureFunds',
      data: { userId: 'late', reservationId: `turn-${asked.id}`, amount: 5, model: 'test-model', promptTokens: 1, completionTokens: 1, price: PRICE },
    });
    await expect(late).rejects.toSatisfy((error: unknown) => isDomainError(error) && error.code === 'CONFLICT');
    expect((await fx.expectSoundWallet('late')).balance).toBe(1_000_000);
  });

  it('a workspace whose wallet is open pays for its knowledge bases (completed, failed, deadline, declined); before that, the asker', async () => {
    const { actor: owner } = await fx.addUser('ws-owner', 1_000_000);
    const { actor: viewer } = await fx.addUser('ws-viewer', 1_000_000);
    const workspaces = createWorkspaceCommands({ store: fx.store, now: () => new Date(), newId: () => crypto.randomUUID() });
    const knowledgeBases = createKnowledgeBaseCommands({ store: fx.store, now: () => new Date(), newId: () => crypto.randomUUID() });
    const funding = createWorkspaceWalletCommands({ store: fx.store, wallets: fx.wallets, workspaces });
    const teamOf = async (name: string) => {
      const workspaceId = (await workspaces.create(owner, name, {})).workspace.id;
      const by = owner;
      const now = new Date().toISOString();
      await handleCommand(fx.store, workspaceStream(workspaceId), workspaceDecider, { type: 'AddMember', workspaceId, userId: viewer.id, role: 'viewer', by, now });
      const kb = await knowledgeBases.create(owner.id, { name: `${name} KB`, description: null, workspaceId }, {});
      return { workspaceId, knowledgeBaseId: kb.knowledgeBase.id };
    };
    const team = await teamOf('Team');

    // Not funded yet: the asker pays, as before, and TurnStarted names no wallet.
    const unfunded = await fx.settled((await ask('What does a pump do?', viewer, team.knowledgeBaseId)).id);
    expect(unfunded.end?.type).toBe('TurnCompleted');
    expect(unfunded.started!.walletId).toBeUndefined();
    const viewerBefore = (await fx.expectSoundWallet('ws-viewer')).balance;
    expect(viewerBefore).toBeLessThan(1_000_000);

    await funding.fund(owner, { workspaceId: team.workspaceId, amount: 500_000, reference: 'fund-1' }, {});
    const completed = await fx.settled((await ask('What does a pump do?', viewer, team.knowledgeBaseId)).id);
    expect(completed.started!.walletId).toBe(team.workspaceId);
    const failed = await fx.settled((await ask('refused question', viewer, team.knowledgeBaseId)).id);
    expect(failed.end?.type).toBe('TurnFailed');
    const late = await fx.settled((await ask('hanging question', viewer, team.knowledgeBaseId)).id, 10_000);
    expect(late.answer).toMatchObject({ kind: 'failed', failure: 'deadline' });
    expect((await fx.walletEvents(team.workspaceId)).map((e) => e.type)).toEqual([
      'FundsDeposited',
      'FundsReserved',
      'FundsCaptured',
      'FundsReserved',
      'FundsReleased',
      'FundsReserved',
      'FundsReleased',
    ]);
    // The asker is on every wallet line's metadata (the ledger's askedBy); their own wallet did not move.
    const lines = (await fx.store.readStream(walletStream(team.workspaceId))).slice(1);
    expect(new Set(lines.map((line) => line.metadata.userId))).toEqual(new Set(['ws-viewer']));
    const cost = (await fx.turns.commands.turn(viewer, completed.started!.turnId)).cost!;
    expect((await fx.expectSoundWallet(team.workspaceId)).balance).toBe(500_000 - cost);
    expect((await fx.expectSoundWallet('ws-viewer')).balance).toBe(viewerBefore);
    expect((await fx.expectSoundWallet('ws-owner')).balance).toBe(500_000);

    // A workspace wallet that cannot cover the hold rejects the question as the asker's would: INSUFFICIENT_FUNDS.
    const poor = await teamOf('Poor team');
    await funding.fund(owner, { workspaceId: poor.workspaceId, amount: 1, reference: 'fund-2' }, {});
    const declined = await ask('What does a pump do?', viewer, poor.knowledgeBaseId);
    await fx.settled(declined.id);
    expect(await fx.turns.commands.turn(viewer, declined.id)).toMatchObject({ status: 'rejected', errorCode: 'INSUFFICIENT_FUNDS', cost: 0 });
    expect((await fx.walletEvents(poor.workspaceId)).map((e) => e.type)).toEqual(['FundsDeposited', 'ReservationDeclined']);
    expect((await fx.expectSoundWallet('ws-viewer')).balance).toBe(viewerBefore);
  });

  it('regenerates a turn as a new one in the same conversation (both billed), and lets its owner alone rate it', async () => {
    const first = await ask('What does a pump do?');
    await fx.settled(first.id);
    const again = await fx.turns.commands.regenerate(fx.actor, first.id);
    expect(again).toMatchObject({ conversationId: first.conversationId, question: first.question, regeneratedFrom: first.id });
    expect(again.id).not.toBe(first.id);
    await fx.settled(again.id);
    expect((await fx.turns.commands.turn(fx.actor, again.id)).cost).toBeGreaterThan(0);
    await fx.turns.commands.rate(fx.actor, again.id, 'UP', null);
    const rated = await fx.turns.commands.rate(fx.actor, again.id, 'DOWN', '  missed the point  ');
    expect(rated.feedback).toMatchObject({ rating: 'DOWN', comment: 'missed the point' });
    const other = await fx.addUser('stranger', 1_000_000);
    for (const attempt of [
      () => fx.turns.commands.rate(other.actor, again.id, 'UP', null),
      () => fx.turns.commands.stop(other.actor, again.id),
      () => fx.turns.commands.regenerate(other.actor, again.id),
      () => fx.turns.commands.turn(other.actor, again.id),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(fx.turns.commands.turn(fx.actor, 'no-such-turn')).rejects.toMatchObject({ code: 'NOT_FOUND', reason: 'TURN_NOT_FOUND' });
  });

  it('gives a follow-up question the conversation so far as history', async () => {
    const first = await ask('What does a pump do?');
    await fx.settled(first.id);
    const followUp = await fx.turns.commands.ask(fx.actor, { knowledgeBaseId: fx.knowledgeBaseId, question: 'And why?', conversationId: first.conversationId });
    const state = await fx.settled(followUp.id);
    expect(state.started!.historyTurnIds).toEqual([first.id]);
  });

  it('refuses bad input before anything is appended', async () => {
    const head = await fx.store.headPosition();
    const other = await fx.addUser('neighbour', 0);
    const afterSetup = await fx.store.headPosition();
    expect(afterSetup).not.toBe(head);
    const cases: Array<[Parameters<typeof fx.turns.commands.ask>[1], string]> = [
      [{ knowledgeBaseId: fx.knowledgeBaseId, question: '   ' }, 'EMPTY_QUESTION'],
      [{ knowledgeBaseId: fx.knowledgeBaseId, question: 'x'.repeat(100_000) }, 'QUESTION_TOO_LONG'],
      [{ knowledgeBaseId: fx.knowledgeBaseId, question: 'q', maxTokens: 0 }, 'BAD_MAX_TOKENS'],
      [{ knowledgeBaseId: fx.knowledgeBaseId, question: 'q', maxTokens: 1_000_000 }, 'BAD_MAX_TOKENS'],
      [{ knowledgeBaseId: 'nope', question: 'q' }, 'KNOWLEDGE_BASE_NOT_FOUND'],
      [{ knowledgeBaseId: other.knowledgeBaseId, question: 'q' }, 'FORBIDDEN'],
      [{ knowledgeBaseId: fx.knowledgeBaseId, question: 'q', conversationId: 'nope' }, 'CONVERSATION_NOT_FOUND'],
    ];
    for (const [input, reason] of cases) {
      await expect(fx.turns.commands.ask(fx.actor, input)).rejects.toMatchObject({ reason });
    }
    expect(await fx.store.headPosition()).toBe(afterSetup);
  });
});
