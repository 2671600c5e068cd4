import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocumentEvent } from '../../contracts/documents.ts';
import type { EventData, EventStore, JsonObject } from '../../contracts/eventstore.ts';
import { parseEmailClaimEvent, parseUserEvent } from '../../contracts/identity.ts';
import { ERASED, SEALED, documentTextSubject, userDataSubject } from '../../contracts/personal-data.ts';
import { documentStream, emailStream, userStream } from '../../contracts/streams.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { cachedKeys } from './cached-keys.ts';
import { protectPersonalData } from './protected-event-store.ts';
import { openSqlKeyStore, type PersonalDataKeys } from './sql-key-store.ts';

const at = '2026-01-01T00:00:00.000Z';

const registered = (userId: string, email: string, displayName: string | null): EventData => ({
  type: 'UserRegistered',
  data: { userId, email, displayName, role: 'member', passwordHash: '$argon2id$x', registeredAt: at },
});
const reserved = (userId: string, email: string): EventData => ({
  type: 'EmailReserved',
  data: { email, userId, reservedAt: at },
});
const chunked = (documentId: string, revision: number, texts: string[]): EventData => ({
  type: 'DocumentChunked',
  data: {
    documentId,
    knowledgeBaseId: 'kb1',
    documentName: 'guide.md',
    revision,
    part: 1,
    parts: 1,
    totalChunks: texts.length,
    chunks: texts.map((text, index) => ({
      chunkId: `${documentId}:${revision}:${index}`,
      index,
      text,
      headingPath: ['Secret heading'],
      tokenCount: 3,
    })),
  },
});

const rawText = async (store: EventStore, stream: string) => JSON.stringify(await store.readStream(stream));

describe.each(['pglite', 'postgres'] as const)('personal data sealed in the %s event store', (kind) => {
  let test: TestEventStore;
  let keys: PersonalDataKeys;
  let store: EventStore;

  beforeAll(async () => {
    test = await openTestEventStore(kind);
    keys = cachedKeys(await openSqlKeyStore(test.sql!));
    store = protectPersonalData(test.store, keys);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('stores personal fields sealed and reads them back whole, from streams, the log and subscriptions', async () => {
    const userId = randomUUID();
    const documentId = randomUUID();
    const user = registered(userId, 'grace@example.com', 'Grace Hopper');
    const email = reserved(userId, 'grace@example.com');
    const chunks = chunked(documentId, 1, ['The cobalt turbine spins.', 'Its bearings need oil.']);
    await store.append(emailStream('e1' + userId), [email], 'no_stream');
    await store.append(userStream(userId), [user], 'no_stream');
    const { position } = await store.append(documentStream(documentId), [chunks], 'no_stream');

    const raw = (await rawText(test.store, userStream(userId))) + (await rawText(test.store, emailStream('e1' + userId)));
    expect(raw).not.toContain('grace@example.com');
    expect(raw).not.toContain('Grace Hopper');
    expect(raw).toContain(userDataSubject(userId));
    const rawChunks = await rawText(test.store, documentStream(documentId));
    expect(rawChunks).not.toMatch(/cobalt|bearings|Secret heading/);
    expect(rawChunks).toContain(`${documentId}:1:1`); // ids and positions stay in clear
    // Whoever reads the stored log without the keys still parses it, and sees what is sealed.
    const [storedUser] = await test.store.readStream(userStream(userId));
    expect(parseUserEvent(storedUser!).data).toMatchObject({ userId, email: SEALED, displayName: SEALED });
    const [storedChunks] = await test.store.readStream(documentStream(documentId));
    expect(parseDocumentEvent(storedChunks!).data).toMatchObject({ chunks: [{ text: SEALED, headingPath: [] }, { text: SEALED }] });

    expect((await store.readStream(userStream(userId)))[0]!.data).toEqual(user.data);
    expect((await store.readStream(documentStream(documentId)))[0]!.data).toEqual(chunks.data);
    const all = await store.readAll({ filter: { streamPrefixes: [userStream(userId), emailStream('e1' + userId)] } });
    expect(all.map((event) => event.data)).toEqual([email.data, user.data]);
    const subscription = store.subscribeToAll({ filter: { streamPrefixes: [documentStream(documentId)] } });
    const [delivered] = await subscription.nextBatch(10);
    await subscription.close();
    expect(delivered).toMatchObject({ position, data: chunks.data });
  });

  it('seals every part of an appendMany, and reads each back whole', async () => {
    const userId = randomUUID();
    const user = registered(userId, 'ada@example.com', 'Ada Lovelace');
    const email = reserved(userId, 'ada@example.com');
    await store.appendMany([
      { streamId: emailStream('e2' + userId), events: [email], expected: 'no_stream' },
      { streamId: userStream(userId), events: [user], expected: 'no_stream' },
    ]);
    const raw = (await rawText(test.store, userStream(userId))) + (await rawText(test.store, emailStream('e2' + userId)));
    expect(raw).not.toMatch(/ada@example\.com|Ada Lovelace/);
    expect((await store.readStream(userStream(userId)))[0]!.data).toEqual(user.data);
    expect((await store.readStream(emailStream('e2' + userId)))[0]!.data).toEqual(email.data);
  });

  it('once shredded, the same events read as erased and still parse; other events are untouched', async () => {
    const userId = randomUUID();
    const documentId = randomUUID();
    await store.append(userStream(userId), [registered(userId, 'ada@example.com', null)], 'no_stream');
    await store.append(documentStream(documentId), [chunked(documentId, 1, ['one']), chunked(documentId, 2, ['two'])], 'no_stream');
    await keys.shred([userDataSubject(userId), documentTextSubject(documentId, 1)]);

    const [user] = await store.readStream(userStream(userId));
    expect(parseUserEvent(user!).data).toMatchObject({ userId, email: ERASED, displayName: ERASED, role: 'member' });
    const [first, second] = (await store.readStream(documentStream(documentId))).map(parseDocumentEvent);
    expect(first!.data).toMatchObject({ revision: 1, chunks: [{ chunkId: `${documentId}:1:0`, text: ERASED, headingPath: [] }] });
    expect(second!.data).toMatchObject({ revision: 2, chunks: [{ text: 'two', headingPath: ['Secret heading'] }] });
  });

  it('the chunks a turn retrieved are sealed per document revision: deleting one document erases only its texts', async () => {
    const [kept, deleted] = [randomUUID(), randomUUID()];
    const retrieved = (n: number, documentId: string, text: string) => ({
      n, chunkId: `${documentId}:1:0`, documentId, revision: 1, documentName: 'guide.md', headingPath: ['Intro'], score: 1, text,
    });
    const chunks = [retrieved(1, kept, 'kept words'), retrieved(2, deleted, 'deleted words'), retrieved(3, kept, 'more kept words')];
    const turn = `turn-${randomUUID()}`;
    await store.append(turn, [{ type: 'RetrievalCompleted', data: { turnId: turn, chunks, at } }], 'no_stream');
    expect(await rawText(test.store, turn)).not.toMatch(/kept words|deleted words|Intro/);
    expect((await store.readStream(turn))[0]!.data.chunks).toEqual(chunks);
    await keys.shred([documentTextSubject(deleted, 1)]);
    expect((await store.readStream(turn))[0]!.data.chunks).toEqual([
      chunks[0],
      { ...chunks[1], text: ERASED, headingPath: [] },
      chunks[2],
    ]);
  });

  it('a conversation is its asker\'s: question, title, answer and comment sealed under the user, excerpts under the document', async () => {
    const [userId, documentId, turnId, conversationId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const citation = (n: number, excerpt: string) => ({ n, chunkId: `${documentId}:2:${n}`, documentId, documentName: 'guide.md', excerpt, score: 1 });
    const started: EventData = {
      type: 'TurnStarted',
      data: {
        turnId, conversationId, userId, knowledgeBaseId: 'kb1', question: 'Where is the saffron valve?', maxTokens: 100, model: 'm',
        price: { promptPer1k: 1, completionPer1k: 1 }, promptEstimate: 10, reservationAmount: 1, historyTurnIds: [], regeneratedFrom: null,
        startedAt: at,
      },
    };
    const conversation: EventData = {
      type: 'ConversationStarted',
      data: { conversationId, userId, knowledgeBaseId: 'kb1', title: 'Where is the saffron valve?', startedAt: at },
    };
    const usage = { model: 'm', promptTokens: 1, completionTokens: 1, reported: true };
    const answered: EventData = {
      type: 'AnswerCompleted',
      data: { turnId, userId, answer: 'Behind the indigo panel [1][2].', usage, citations: [citation(1, 'indigo panel'), citation(2, 'cobalt door')], finishReason: 'stop', at },
    };
    const rated: EventData = { type: 'TurnRated', data: { turnId, rating: 'DOWN', comment: 'ochre is wrong', by: userId, at } };
    const unrated: EventData = { type: 'TurnRated', data: { turnId, rating: 'UP', comment: null, by: userId, at } };
    await store.append(`conversation-${conversationId}`, [conversation], 'no_stream');
    await store.append(`turn-${turnId}`, [started, answered, rated, unrated], 'no_stream');

    const raw = (await rawText(test.store, `turn-${turnId}`)) + (await rawText(test.store, `conversation-${conversationId}`));
    expect(raw).not.toMatch(/saffron|indigo|cobalt|ochre/);
    const read = await store.readStream(`turn-${turnId}`);
    expect(read.map((event) => event.data)).toEqual([started, answered, rated, unrated].map((event) => event.data));
    expect((await store.readStream(`conversation-${conversationId}`))[0]!.data).toEqual(conversation.data);

    await keys.shred([documentTextSubject(documentId, 2)]);
    const [, afterDocument] = await store.readStream(`turn-${turnId}`);
    expect(afterDocument!.data).toMatchObject({ answer: 'Behind the indigo panel [1][2].', citations: [{ excerpt: ERASED }, { excerpt: ERASED }] });
    await keys.shred([userDataSubject(userId)]);
    const [question, answer, comment, noComment] = await store.readStream(`turn-${turnId}`);
    expect(question!.data).toMatchObject({ turnId, userId, question: ERASED, reservationAmount: 1 });
    expect(answer!.data).toMatchObject({ answer: ERASED, usage });
    expect(comment!.data).toMatchObject({ rating: 'DOWN', comment: ERASED });
    expect(noComment!.data).toMatchObject({ rating: 'UP', comment: null });
    expect((await store.readStream(`conversation-${conversationId}`))[0]!.data).toMatchObject({ title: ERASED, userId });
  });

  it('events written in clear before sealing read as they are, and as erased once their subject is shredded', async () => {
    const userId = randomUUID();
    await test.store.append(emailStream('e2' + userId), [reserved(userId, 'old@example.com')], 'no_stream');
    expect(parseEmailClaimEvent((await store.readStream(emailStream('e2' + userId)))[0]!).data.email).toBe('old@example.com');
    await keys.shred([userDataSubject(userId)]);
    expect(parseEmailClaimEvent((await store.readStream(emailStream('e2' + userId)))[0]!).data.email).toBe(ERASED);
    // The bytes are still in the log: an append-only log cannot forget what was written in clear.
    expect(await rawText(test.store, emailStream('e2' + userId))).toContain('old@example.com');
  });

  it('an append for an erased subject writes placeholders, never a new key', async () => {
    const documentId = randomUUID();
    await keys.shred([documentTextSubject(documentId, 1)]);
    await store.append(documentStream(documentId), [chunked(documentId, 1, ['late text'])], 'no_stream');
    const raw = await rawText(test.store, documentStream(documentId));
    expect(raw).not.toContain('late text');
    expect(raw).toContain('"sealed":[]');
    expect((await keys.keysToRead([documentTextSubject(documentId, 1)])).get(documentTextSubject(documentId, 1))).toBe('shredded');
  });

  it('writers racing for a new subject share one key; a shred elsewhere reaches a cache within its ttl', async () => {
    let clock = 0;
    const uncached = await openSqlKeyStore(test.sql!);
    const subject = userDataSubject(randomUUID());
    const made = await Promise.all(Array.from({ length: 5 }, () => uncached.keysToWrite([subject])));
    const firstKey = made[0]!.get(subject) as Buffer;
    expect(made.every((found) => (found.get(subject) as Buffer).equals(firstKey))).toBe(true);

    const otherProcess = cachedKeys(uncached, { ttlMs: 1000, now: () => clock });
    expect(Buffer.isBuffer((await otherProcess.keysToRead([subject])).get(subject))).toBe(true);
    await keys.shred([subject]);
    clock += 999;
    expect(Buffer.isBuffer((await otherProcess.keysToRead([subject])).get(subject))).toBe(true);
    clock += 1;
    expect((await otherProcess.keysToRead([subject])).get(subject)).toBe('shredded');
  });

  it('a key made by another process since this one found none is looked up again, not taken for erased', async () => {
    const documentId = randomUUID();
    const turn = (n: number) => ({
      type: 'RetrievalCompleted',
      data: {
        turnId: `t${n}`,
        chunks: [{ n: 1, chunkId: `${documentId}:1:0`, documentId, revision: 1, documentName: 'a.md', headingPath: [], score: 1, text: `text ${n}` }],
        at,
      },
    });
    const stream = `turn-${randomUUID()}`;
    await test.store.append(stream, [turn(1)], 'no_stream'); // written in clear: no key for document:…:1 yet
    const otherProcess = protectPersonalData(test.store, cachedKeys(await openSqlKeyStore(test.sql!)));
    expect((await store.readStream(stream)).map((e) => (e.data.chunks as Array<{ text: string }>)[0]!.text)).toEqual(['text 1']);
    await otherProcess.append(stream, [turn(2)], 0); // makes the key and seals under it
    expect((await store.readStream(stream)).map((e) => (e.data.chunks as Array<{ text: string }>)[0]!.text)).toEqual(['text 1', 'text 2']);
  });

  it('a sealed value does not open under another subject', async () => {
    const victim = randomUUID();
    const thief = randomUUID();
    await store.append(userStream(victim), [registered(victim, 'victim@example.com', null)], 'no_stream');
    await store.append(userStream(thief), [registered(thief, 'thief@example.com', null)], 'no_stream');
    const [sealedVictim] = await test.store.readStream(userStream(victim));
    const [value] = sealedVictim!.data.sealed as JsonObject[];
    const copied = { ...sealedVictim!.data, userId: thief, sealed: [{ ...value, subject: userDataSubject(thief) }] };
    await test.store.append(userStream(thief), [{ type: 'UserRegistered', data: copied }], 0);
    await expect(store.readStream(userStream(thief))).rejects.toThrow(/does not open with the key of user:/);
  });
});
