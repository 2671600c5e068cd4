/**
 * A chat log the previous code wrote replays into today's conversations read model, and erasing its user still
 * erases it. ops/testing/fixtures/logs/chat-v1.jsonl holds the conversation- and turn- streams of a session recorded
 * before chat text was sealed: questions, the title, the rating comment and the answers in clear, and AnswerCompleted
 * in schema version 1 (no asker). Appended as they are and read through the sealing store, they project as they
 * were; after UserErased and the shred of the user's key every question, answer, title and comment reads as erased,
 * live and in a rebuild.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protectPersonalData } from '../../command-side/personal-data/protected-event-store.ts';
import { openSqlKeyStore, type PersonalDataKeys } from '../../command-side/personal-data/sql-key-store.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { ERASED, userDataSubject } from '../../contracts/personal-data.ts';
import { userStream } from '../../contracts/streams.ts';
import { parseTurnEvent } from '../../contracts/turns.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { appendAsWritten, readOldLog, type LoggedEvent } from '../../ops/testing/old-logs.ts';
import { createProjectionRuntime, rebuildProjection, verifyRebuild, type ProjectionRuntime } from '../runtime/index.ts';
import { conversationsProjector } from './conversations-projector.ts';
import { listConversations, turnsOfConversations } from './conversations-read-model.ts';



describe('replaying and erasing a chat the previous code wrote (text in clear, AnswerCompleted version 1)', () => {
  let log: LoggedEvent[];
  let events: TestEventStore & { sql: NonNullable<TestEventStore['sql']> };
  let keys: PersonalDataKeys;
  let store: EventStore;
  let runtime: ProjectionRuntime;
  let userId: string;

  const turns = async () => {
    const [conversation] = await listConversations(events.sql, userId);
    return { conversation: conversation!, turns: (await turnsOfConversations(events.sql, [conversation!.id])).get(conversation!.id)! };
  };

  beforeAll(async () => {
    log = await readOldLog('chat-v1.jsonl');
    userId = log.find((event) => event.type === 'TurnStarted')!.data.userId as string;
    events = await openTestEventStore('pglite');
    await appendAsWritten(events.store, log);
    keys = await openSqlKeyStore(events.sql);
    store = protectPersonalData(events.store, keys);
    runtime = createProjectionRuntime({ sql: events.sql, eventStore: store, projectors: [conversationsProjector], logger: pino({ level: 'silent' }) });
    await runtime.start();
    await runtime.waitForPosition(await store.headPosition(), { timeoutMs: 30_000 });
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
    await events?.close();
  });

  it('is the old shape: text in clear, answers without their asker and unmarked', () => {
    const answers = log.filter((event) => event.type === 'AnswerCompleted');
    expect(answers).toHaveLength(2);
    expect(answers.every((event) => !('userId' in event.data) && !('schemaVersion' in event.metadata))).toBe(true);
    expect(log.find((event) => event.type === 'TurnStarted')!.data.question).toBe('When is the yew hedge trimmed?');
  });

  it('projects as it was; an old answer reads with no asker', async () => {
    const { conversation, turns: all } = await turns();
    expect(conversation.title).toBe('When is the yew hedge trimmed?');
    expect(all.map((turn) => [turn.question, turn.status])).toEqual([
      ['When is the yew hedge trimmed?', 'completed'],
      ['What does the beech hedge keep in winter?', 'completed'],
    ]);
    expect(all[0]!.answer).toContain('August');
    expect(all[0]!.feedback).toMatchObject({ rating: 'DOWN', comment: 'I wanted the month of the second trim' });
    const [answered] = (await store.readAll()).filter((event) => event.type === 'AnswerCompleted').map(parseTurnEvent);
    expect(answered!.data).toMatchObject({ userId: null });
  });

  it('erasing the user erases every question, answer, title and comment of theirs, live and rebuilt; the costs stay', async () => {
    const costs = (await turns()).turns.map((turn) => turn.cost);
    const { position } = await store.append(userStream(userId), [{ type: 'UserErased', data: { userId, erasedBy: userId, erasedAt: new Date().toISOString() } }], 'any');
    await keys.shred([userDataSubject(userId)]);
    await runtime.waitForPosition(position, { timeoutMs: 30_000 });

    const { conversation, turns: all } = await turns();
    expect(conversation.title).toBe(ERASED);
    expect(all.map((turn) => [turn.question, turn.answer, turn.feedback?.comment ?? null])).toEqual([
      [ERASED, ERASED, ERASED],
      [ERASED, ERASED, null],
    ]);
    expect(all.map((turn) => turn.cost)).toEqual(costs);
    // Read through the sealing store, the questions written in clear read as erased now; the old answers, which name
    // no asker, only the read model can erase.
    const started = (await store.readAll()).filter((event) => event.type === 'TurnStarted').map(parseTurnEvent);
    expect(started.map((event) => event.type === 'TurnStarted' && event.data.question)).toEqual([ERASED, ERASED]);

    const target = { sql: events.sql, eventStore: store, projector: conversationsProjector };
    const rebuilt = await rebuildProjection(target);
    const verdict = await verifyRebuild({ ...target, schema: rebuilt.schema });
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ equal: true });
  });
});
