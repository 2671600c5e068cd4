import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { knowledgeBaseStream } from '../../contracts/streams.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { createKnowledgeBaseCommands } from './knowledge-base-commands.ts';

describe('createKnowledgeBase with an idempotency key (on a real event store)', () => {
  let events: TestEventStore;
  let ids = 0;
  const commands = () =>
    createKnowledgeBaseCommands({ store: events.store, now: () => new Date(), newId: () => `random-${++ids}` });
  const input = (name: string, idempotencyKey?: string) => ({ name, description: null, idempotencyKey });
  const streamOf = (id: string) => events.store.readStream(knowledgeBaseStream(id));

  beforeAll(async () => {
    events = await openTestEventStore('pglite');
  }, 60_000);
  afterAll(async () => {
    await events?.close();
  });

  it('finds the knowledge base a key made, from the log, without asking the quota again', async () => {
    const first = await commands().create('u1', input('Handbook', 'key-1'), {});
    const admit = vi.fn(async () => undefined);
    // Another process (a fresh handler, nothing in memory) gets the retry.
    const retry = await commands().create('u1', input('Handbook', 'key-1'), {}, { admit });
    expect(first.created).toBe(true);
    expect(retry).toEqual({ ...first, created: false });
    expect(admit).not.toHaveBeenCalled();
    expect(await streamOf(first.knowledgeBase.id)).toHaveLength(1);
  });

  it('concurrent retries of one create append one event and all answer with it', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => commands().create('u1', input('Racy', 'key-2'), {})));
    expect(new Set(answers.map((answer) => answer.knowledgeBase.id)).size).toBe(1);
    expect(new Set(answers.map((answer) => answer.position)).size).toBe(1);
    expect(answers.filter((answer) => answer.created)).toHaveLength(1);
    expect(await streamOf(answers[0]!.knowledgeBase.id)).toHaveLength(1);
  });

  it('refuses the same key for another knowledge base, and keeps keys apart per owner', async () => {
    await commands().create('u1', input('Manual', 'key-3'), {});
    await expect(commands().create('u1', input('Not the manual', 'key-3'), {})).rejects.toMatchObject({ code: 'CONFLICT' });
    const others = await commands().create('u2', input('Manual', 'key-3'), {});
    expect(others.created).toBe(true);
  });

  it('without a key every create is a new knowledge base, and passes the quota check first', async () => {
    const admit = vi.fn(async () => undefined);
    const a = await commands().create('u1', input('Same'), {}, { admit });
    const b = await commands().create('u1', input('Same'), {}, { admit });
    expect(a.knowledgeBase.id).not.toBe(b.knowledgeBase.id);
    expect(admit).toHaveBeenCalledTimes(2);
    const refusing = async () => {
      throw new Error('over quota');
    };
    await expect(commands().create('u1', input('Too many'), {}, { admit: refusing })).rejects.toThrow('over quota');
  });
});
