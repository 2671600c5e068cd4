import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../contracts/eventstore.ts';
import { ERASED, documentTextSubject, userDataSubject } from '../../contracts/personal-data.ts';
import { documentStream, userStream } from '../../contracts/streams.ts';
import { until } from '../../ops/testing/document-uploads.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import type { Reactor } from '../reactor.ts';
import { cachedKeys } from './cached-keys.ts';
import { startErasureShredder } from './erasure-shredder.ts';
import { protectPersonalData } from './protected-event-store.ts';
import { openSqlKeyStore, type PersonalDataKeys } from './sql-key-store.ts';

const at = '2026-01-01T00:00:00.000Z';

describe('the erasure shredder', () => {
  let test: TestEventStore;
  let keys: PersonalDataKeys;
  let store: EventStore;
  let shredder: Reactor | undefined;

  beforeAll(async () => {
    test = await openTestEventStore('pglite');
    keys = cachedKeys(await openSqlKeyStore(test.sql!));
    store = protectPersonalData(test.store, keys);
  });
  afterAll(async () => {
    await shredder?.stop();
    await test?.close();
  });

  it('shreds what recorded erasures name, including a document deleted before sealing existed', async () => {
    const documentId = randomUUID();
    const userId = randomUUID();
    // Written in clear, without keys, as before sealing existed: two revisions, then the delete.
    const chunked = (revision: number) => ({
      type: 'DocumentChunked',
      data: {
        documentId, knowledgeBaseId: 'kb', documentName: 'old.md', revision, part: 1, parts: 1, totalChunks: 1,
        chunks: [{ chunkId: `${documentId}:${revision}:0`, index: 0, text: `old text ${revision}`, headingPath: [], tokenCount: 2 }],
      },
    });
    const deleted = { type: 'DocumentDeleted', data: { documentId, knowledgeBaseId: 'kb', revision: 2, deletedBy: 'u' } };
    await test.store.append(documentStream(documentId), [chunked(1), chunked(2), deleted], 'no_stream');
    // A user erased by a process that died before shredding.
    await store.append(userStream(userId), [
      { type: 'UserRegistered', data: { userId, email: 'late@example.com', displayName: null, role: 'member', passwordHash: 'h', registeredAt: at } },
      { type: 'UserErased', data: { userId, erasedBy: userId, erasedAt: at } },
    ], 'no_stream');
    expect((await store.readStream(userStream(userId)))[0]!.data.email).toBe('late@example.com');

    shredder = await startErasureShredder({ store, keys, sql: test.sql! });
    const subjects = [documentTextSubject(documentId, 1), documentTextSubject(documentId, 2), userDataSubject(userId)];
    await until('the erasures shredded', async () => {
      const found = await keys.keysToRead(subjects, { fresh: true });
      return [...found.values()].every((state) => state === 'shredded') ? true : undefined;
    }, 10_000);

    const texts = (await store.readStream(documentStream(documentId))).flatMap((event) =>
      event.type === 'DocumentChunked' ? (event.data.chunks as Array<{ text: string }>).map((chunk) => chunk.text) : [],
    );
    expect(texts).toEqual([ERASED, ERASED]);
    expect((await store.readStream(userStream(userId)))[0]!.data.email).toBe(ERASED);
  });
});
