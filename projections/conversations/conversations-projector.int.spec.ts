/**
 * The conversations projection from turn and conversation events as the saga records them: turns in conversation
 * order with status, answer, citations, cost and usage; the last rating counts per knowledge base; usage per user,
 * model and day; an event handled again changes nothing; a rebuild from the log equals the live tables.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventData, RecordedEvent } from '../../contracts/eventstore.ts';
import { ERASED } from '../../contracts/personal-data.ts';
import { conversationStream, documentStream, turnStream, userStream } from '../../contracts/streams.ts';
import type { Citation, TurnEvent } from '../../contracts/turns.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { createTestPglite } from '../../ops/testing/databases.ts';
import { prepareProjection } from '../runtime/checkpoints.ts';
import { createProjectionRuntime, rebuildProjection, verifyRebuild, type ProjectionRuntime } from '../runtime/index.ts';
import { conversationsProjector } from './conversations-projector.ts';
import { dailyUsage, feedbackCounts, findConversation, findTurn, listConversations, turnsOfConversations } from './conversations-read-model.ts';

const day1 = '2026-03-01T23:59:00.000Z';
const day2 = '2026-03-02T00:01:00.000Z';
const usage = (promptTokens: number, completionTokens: number) => ({ model: 'm', promptTokens, completionTokens, reported: true });
const citation: Citation = { n: 1, chunkId: 'doc-1:1:0', documentId: 'doc-1', documentName: 'Pumps', excerpt: 'A pump…', score: 0.9 };
const otherCitation: Citation = { n: 2, chunkId: 'doc-2:1:4', documentId: 'doc-2', documentName: 'Valves', excerpt: 'A valve…', score: 0.5 };

const event = (e: TurnEvent): EventData => ({ type: e.type, data: e.data });

function started(turnId: string, conversationId: string, userId: string, knowledgeBaseId: string, question: string): EventData {
  return event({
    type: 'TurnStarted',
    data: {
      turnId,
      conversationId,
      userId,
      knowledgeBaseId,
      question,
      maxTokens: 100,
      model: 'm',
      price: { promptPer1k: 1000, completionPer1k: 2000 },
      promptEstimate: 50,
      reservationAmount: 250,
      historyTurnIds: [],
      regeneratedFrom: null,
      startedAt: day1,
    },
  });
}

/** A turn answered (completed or stopped) and charged `cost` at `at`. */
function answered(turnId: string, userId: string, kind: 'completed' | 'stopped', cost: number, at: string, tokens: [number, number]): EventData[] {
  const reservationId = `turn-${turnId}`;
  const answer = { turnId, userId, answer: 'Pumps move water [1][2].', usage: usage(...tokens), citations: [citation, otherCitation], at };
  return [
    event({ type: 'TurnFundsReserved', data: { turnId, reservationId, amount: 250, deadlineAt: at, at } }),
    event({ type: 'RetrievalCompleted', data: { turnId, chunks: [], at } }),
    event({ type: 'GenerationStarted', data: { turnId, at } }),
    kind === 'completed'
      ? event({ type: 'AnswerCompleted', data: { ...answer, finishReason: 'stop' } })
      : event({ type: 'AnswerStopped', data: answer }),
    event({ type: 'TurnFundsCaptured', data: { turnId, reservationId, amount: cost, released: 250 - cost, at } }),
    kind === 'completed'
      ? event({ type: 'TurnCompleted', data: { turnId, cost, at } })
      : event({ type: 'TurnStopped', data: { turnId, cost, at } }),
  ];
}

const rated = (turnId: string, rating: 'UP' | 'DOWN', by: string): EventData =>
  event({ type: 'TurnRated', data: { turnId, rating, comment: rating === 'DOWN' ? 'wrong pump' : null, by, at: day2 } });

describe.each(['pglite', 'postgres'] as const)('conversations projection on %s', (kind) => {
  let test: TestEventStore & { sql: NonNullable<TestEventStore['sql']> };
  let runtime: ProjectionRuntime;
  const [alice, bob, kb, conversation, other] = ['alice', 'bob', 'kb-1', randomUUID(), randomUUID()];
  const [first, second, rejected, bobs] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

  beforeAll(async () => {
    test = await openTestEventStore(kind);
    runtime = createProjectionRuntime({ sql: test.sql, eventStore: test.store, projectors: [conversationsProjector], logger: pino({ level: 'silent' }) });
    await runtime.start();
    const { store } = test;
    const start = { type: 'ConversationStarted', data: { conversationId: conversation, userId: alice, knowledgeBaseId: kb, title: 'Pumps?', startedAt: day1 } };
    const added = (conversationId: string, turnId: string, at = day1) => ({ type: 'ConversationTurnAdded', data: { conversationId, turnId, at } });
    await store.append(conversationStream(conversation), [start, added(conversation, first)], 'no_stream');
    await store.append(turnStream(first), [started(first, conversation, alice, kb, 'What do pumps do?'), ...answered(first, alice, 'completed', 120, day1, [100, 10])], 'no_stream');
    await store.append(conversationStream(conversation), [added(conversation, second, day2)], 1);
    await store.append(turnStream(second), [started(second, conversation, alice, kb, 'And how fast?'), ...answered(second, alice, 'stopped', 30, day2, [20, 5])], 'no_stream');
    await store.append(conversationStream(conversation), [added(conversation, rejected, day2)], 2);
    await store.append(
      turnStream(rejected),
      [
        started(rejected, conversation, alice, kb, 'Too dear?'),
        event({ type: 'TurnReservationDeclined', data: { turnId: rejected, reservationId: `turn-${rejected}`, amount: 250, available: 3, at: day2 } }),
        event({ type: 'TurnRejected', data: { turnId: rejected, code: 'INSUFFICIENT_FUNDS', reason: 'insufficient funds', needed: 250, available: 3, at: day2 } }),
      ],
      'no_stream',
    );
    // The last rating of a turn counts: first UP then DOWN is one DOWN.
    await store.append(turnStream(first), [rated(first, 'UP', alice), rated(first, 'DOWN', alice)], 6);
    await store.append(turnStream(second), [rated(second, 'UP', alice)], 6);
    const bobStart = { ...start, data: { ...start.data, conversationId: other, userId: bob } };
    await store.append(conversationStream(other), [bobStart, added(other, bobs)], 'no_stream');
    const head = await store.append(turnStream(bobs), [started(bobs, other, bob, kb, 'Mine?'), ...answered(bobs, bob, 'completed', 40, day2, [30, 5])], 'no_stream');
    await runtime.waitForPosition(head.position, { timeoutMs: 20_000 });
  }, 120_000);
  afterAll(async () => {
    await runtime?.stop();
    await test?.close();
  });

  it('shows a conversation with its turns in order: status, answer, citations, cost, usage, feedback', async () => {
    expect(await findConversation(test.sql, conversation)).toMatchObject({ userId: alice, knowledgeBaseId: kb, title: 'Pumps?', createdAt: day1, updatedAt: day2 });
    expect((await listConversations(test.sql, alice)).map((c) => c.id)).toEqual([conversation]);
    const turns = (await turnsOfConversations(test.sql, [conversation])).get(conversation)!;
    expect(turns.map((t) => [t.question, t.status, t.cost])).toEqual([
      ['What do pumps do?', 'completed', 120],
      ['And how fast?', 'stopped', 30],
      ['Too dear?', 'rejected', 0],
    ]);
    expect(turns[0]).toMatchObject({
      answer: 'Pumps move water [1][2].',
      citations: [citation, otherCitation],
      usage: { model: 'm', promptTokens: 100, completionTokens: 10 },
      feedback: { rating: 'DOWN', comment: 'wrong pump', at: day2 },
      error: null,
      errorCode: null,
    });
    expect(turns[2]).toMatchObject({ answer: null, usage: null, error: 'insufficient funds', errorCode: 'INSUFFICIENT_FUNDS', citations: [] });
    expect(await findTurn(test.sql, bobs)).toMatchObject({ userId: bob, conversationId: other, status: 'completed' });
  });

  it('counts the last rating of each turn per knowledge base', async () => {
    expect(await feedbackCounts(test.sql, kb)).toEqual({ up: 1, down: 1 });
    expect(await feedbackCounts(test.sql, 'kb-unknown')).toEqual({ up: 0, down: 0 });
  });

  it('adds up what each user was charged per model and UTC day', async () => {
    expect(await dailyUsage(test.sql, alice)).toEqual([
      { userId: alice, model: 'm', day: '2026-03-02', turns: 1, promptTokens: 20, completionTokens: 5, cost: 30 },
      { userId: alice, model: 'm', day: '2026-03-01', turns: 1, promptTokens: 100, completionTokens: 10, cost: 120 },
    ]);
    expect(await dailyUsage(test.sql, bob)).toEqual([
      { userId: bob, model: 'm', day: '2026-03-02', turns: 1, promptTokens: 30, completionTokens: 5, cost: 40 },
    ]);
  });

  it('erasing a user erases their chat text, also from an answer that lands later; deleting a document erases its excerpts', async () => {
    const { store } = test;
    const inFlight = randomUUID();
    await store.append(conversationStream(other), [{ type: 'ConversationTurnAdded', data: { conversationId: other, turnId: inFlight, at: day2 } }], 1);
    await store.append(turnStream(inFlight), [started(inFlight, other, bob, kb, 'Still mine?')], 'no_stream');
    await store.append(userStream(bob), [{ type: 'UserErased', data: { userId: bob, erasedBy: 'admin', erasedAt: day2 } }], 'any');
    const late = await store.append(turnStream(inFlight), answered(inFlight, bob, 'completed', 40, day2, [30, 5]), 0);
    await runtime.waitForPosition(late.position, { timeoutMs: 20_000 });

    expect(await findConversation(test.sql, other)).toMatchObject({ userId: bob, title: ERASED });
    const bobsTurns = (await turnsOfConversations(test.sql, [other])).get(other)!;
    const erasedCitations = [citation, otherCitation].map((c) => ({ ...c, excerpt: ERASED }));
    expect(bobsTurns.map((t) => [t.question, t.answer, t.citations, t.status])).toEqual([
      [ERASED, ERASED, erasedCitations, 'completed'],
      [ERASED, ERASED, erasedCitations, 'completed'],
    ]);
    // The money stays: the usage per day is bob's two charges.
    expect(await dailyUsage(test.sql, bob)).toMatchObject([{ userId: bob, turns: 2, cost: 80 }]);
    expect(await findConversation(test.sql, conversation)).toMatchObject({ title: 'Pumps?' });

    const deleted = await store.append(
      documentStream('doc-1'),
      [{ type: 'DocumentDeleted', data: { documentId: 'doc-1', knowledgeBaseId: kb, revision: 1, deletedBy: alice } }],
      'any',
    );
    await runtime.waitForPosition(deleted.position, { timeoutMs: 20_000 });
    const alices = (await turnsOfConversations(test.sql, [conversation])).get(conversation)!;
    expect(alices[0]).toMatchObject({ question: 'What do pumps do?', answer: 'Pumps move water [1][2].', feedback: { comment: 'wrong pump' } });
    expect(alices[0]!.citations).toEqual([{ ...citation, excerpt: ERASED }, otherCitation]);
  });

  it('handling every event again changes nothing', async () => {
    const tables = ['chat_conversations', 'chat_conversation_turns', 'chat_turns', 'chat_feedback_counts', 'chat_usage_daily'];
    const snapshot = async () => Promise.all(tables.map((table) => test.sql.query(`SELECT * FROM ${table} ORDER BY 1, 2`)));
    const before = await snapshot();
    const events = (await test.store.readAll()).filter((e) => conversationsProjector.filter!.eventTypes!.includes(e.type));
    await test.sql.transaction((tx) => conversationsProjector.handle(events, tx, { projector: conversationsProjector.name, rebuilding: false }));
    expect(await snapshot()).toEqual(before);
  });

  it('a rebuild from the log equals the live tables', async () => {
    const target = { sql: test.sql, eventStore: test.store, projector: conversationsProjector };
    const rebuilt = await rebuildProjection(target);
    const verdict = await verifyRebuild({ ...target, schema: rebuilt.schema });
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ equal: true });
  });
});

describe('a batch whose statements are sent without waiting for each reply', () => {
  it('fails whole on an event that does not parse, and leaves no statement it sent unobserved', async () => {
    const sql = await createTestPglite();
    try {
      await sql.transaction((tx) => prepareProjection(tx, conversationsProjector));
      const recorded = (streamId: string, revision: number, data: EventData): RecordedEvent => ({
        id: randomUUID(),
        type: data.type,
        data: data.data,
        metadata: {},
        streamId,
        revision,
        position: `1-${revision + 1}`,
        createdAt: day1,
      });
      const turnId = randomUUID();
      const good = recorded(turnStream(turnId), 0, started(turnId, randomUUID(), 'u1', 'kb1', 'Where is the pump?'));
      const broken = recorded(turnStream(turnId), 1, { type: 'TurnFundsReserved', data: { turnId } });
      const batch = sql.transaction((tx) => conversationsProjector.handle([good, broken], tx, { projector: 'conversations', rebuilding: false }));
      await expect(batch).rejects.toThrow();
      // The first event's insert had gone out before the second failed to parse: rolled back with the batch.
      expect(await sql.query('SELECT count(*)::int AS n FROM chat_turns')).toEqual([{ n: 0 }]);
      await sql.transaction((tx) => conversationsProjector.handle([good], tx, { projector: 'conversations', rebuilding: false }));
      expect(await sql.query('SELECT status FROM chat_turns WHERE id = $1', [turnId])).toEqual([{ status: 'reserving' }]);
    } finally {
      await sql.close();
    }
  });
});
