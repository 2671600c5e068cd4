/**
 * Fair shares between users (worker.ts, fair-queue.ts, backlog.ts) on the real pipeline: one user's long queue must
 * not hold another user's document back by more than about one document. Measured on the log: the order of the
 * DocumentIndexed events. The queues are uploaded before the worker starts, so every run sees the same backlog, and
 * they are longer than the backlog keeps in memory per knowledge base (16), so the later uploads are only seen if
 * the worker reads past the long queue. The worker runs at its production concurrency (2). Each test stops its worker once it has its answer (the document
 * awaited is indexed, or too many of the long queue are): the rest of a queue would only cost time, every file being
 * parsed in a child process of its own.
 */
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { DocumentActor } from '../../../contracts/document-commands.ts';
import { comparePositions } from '../../../contracts/position.ts';
import { documentStream } from '../../../contracts/streams.ts';
import { handleCommand } from '../../decider.ts';
import { documentDecider } from '../../documents/decider.ts';
import { sqlWorkerCheckpoints } from './checkpoint.ts';
import { openPipelineFixture, type PipelineFixture } from './pipeline.testing.ts';
import type { PipelineWorker } from './worker.ts';

/** Documents a worker may finish before another user's: the two running when it arrives, and slack for timing. */
const ABOUT_ONE_DOCUMENT = 4;

/** A small text document, different for every (who, n): a document's id comes from its bytes. */
const note = (who: string, n: number) =>
  new TextEncoder().encode(`Note ${n} of ${who}: pump ${n} in hall ${who} needs gasket ${n * 7 + 3} replaced by Friday.\n`);

interface User {
  actor: DocumentActor;
  knowledgeBaseId: string;
}

/** Uploads in small parallel groups (one at a time takes ~70 ms each); returns the ids in upload order. */
async function uploadMany(fixture: PipelineFixture, user: User, prefix: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 10) {
    const group = Array.from({ length: Math.min(10, count - start) }, (_, i) => start + i);
    ids.push(...(await Promise.all(group.map((n) => fixture.uploadAs(user.actor, user.knowledgeBaseId, `${prefix}-${n}.txt`, note(prefix, n))))));
  }
  return ids;
}

/** Document ids of the DocumentIndexed events, in log order. */
async function indexedOrder(fixture: PipelineFixture): Promise<string[]> {
  const events = await fixture.store.readAll({ filter: { streamPrefixes: ['document-'], eventTypes: ['DocumentIndexed'] } });
  return events.map((e) => String(e.data.documentId));
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const indexedOf = (order: readonly string[], queue: readonly string[]) => order.filter((id) => queue.includes(id)).length;

/** How many of `queue` were indexed before `documentId` was (its `nth` indexing: 2 = after a reindex). */
function indexedBefore(order: readonly string[], queue: readonly string[], documentId: string, nth = 1): number {
  let seen = 0;
  const at = order.findIndex((id) => id === documentId && ++seen === nth);
  const members = new Set(queue);
  const before = order.slice(0, at < 0 ? order.length : at).filter((id) => members.has(id)).length;
  expect(at, `not indexed (${nth === 1 ? 'once' : `${nth} times`}) while ${before} of the queue were`).toBeGreaterThanOrEqual(0);
  return before;
}

describe('pipeline worker shares its turns fairly between users', () => {
  let fixture: PipelineFixture;
  let alice: User;
  let bob: User;
  const startWorker = async (): Promise<PipelineWorker> => {
    const worker = fixture.worker();
    onTestFinished(() => worker.stop()); // also when an assertion failed
    await worker.start();
    return worker;
  };

  beforeEach(async () => {
    fixture = await openPipelineFixture('pglite');
    const user = async (id: string): Promise<User> => ({
      actor: { id, role: 'member' },
      knowledgeBaseId: await fixture.addKnowledgeBase(id, `${id}'s manuals`),
    });
    alice = await user('alice');
    bob = await user('bob');
  });
  afterEach(async () => {
    await fixture?.close();
  });

  it("indexes a user's one document before another user's 200 queued ones are half done", { timeout: 180_000 }, async () => {
    const uploading = Date.now();
    const queue = await uploadMany(fixture, alice, 'alice', 200);
    const bobs = await fixture.uploadAs(bob.actor, bob.knowledgeBaseId, 'bob.txt', note('bob', 0));
    // Alice's second knowledge base: within her turns, it does not wait for her first one's queue either.
    const aliceOther = await fixture.addKnowledgeBase(alice.actor.id, 'alice: spare parts');
    const alicesOther = await fixture.uploadAs(alice.actor, aliceOther, 'alice-other.txt', note('alice-other', 0));

    const working = Date.now();
    const worker = await startWorker();
    await until("Bob's and Alice's other document are indexed, or too many of her queue", async () => {
      const order = await indexedOrder(fixture);
      return (order.includes(bobs) && order.includes(alicesOther)) || indexedOf(order, queue) > 2 * ABOUT_ONE_DOCUMENT;
    });
    await worker.stop();
    console.log(`202 uploads took ${working - uploading} ms, the worker ${Date.now() - working} ms`);

    const order = await indexedOrder(fixture);
    const beforeBob = indexedBefore(order, queue, bobs);
    const beforeOther = indexedBefore(order, queue, alicesOther);
    console.log(`of Alice's 200 queued documents, ${beforeBob} were indexed before Bob's, ${beforeOther} before her other knowledge base's`);
    expect(beforeBob).toBeLessThan(100);
    expect(beforeBob).toBeLessThanOrEqual(ABOUT_ONE_DOCUMENT);
    expect(beforeOther).toBeLessThanOrEqual(ABOUT_ONE_DOCUMENT + 1); // Bob's turn comes first

    // Finishing out of order never moves the checkpoint past a document that is not done (crash safety).
    const checkpoint = await sqlWorkerCheckpoints(fixture.sql).load('document-pipeline');
    const uploads = await fixture.store.readAll({ filter: { streamPrefixes: ['document-'], eventTypes: ['DocumentUploaded'] } });
    const passed = uploads.filter((e) => comparePositions(e.position, checkpoint) <= 0).map((e) => String(e.data.documentId));
    expect(passed.length).toBeLessThan(uploads.length);
    for (const id of passed) expect(order, `${id} is before the checkpoint`).toContain(id);
  });

  it('alternates between two users with long queues', { timeout: 180_000 }, async () => {
    const alices = await uploadMany(fixture, alice, 'alice', 30);
    const bobs = await uploadMany(fixture, bob, 'bob', 30);
    const worker = await startWorker();
    await until('12 documents are indexed', async () => (await indexedOrder(fixture)).length >= 12);
    await worker.stop();

    const order = (await indexedOrder(fixture)).slice(0, 12);
    const whose = order.map((id) => (alices.includes(id) ? 'a' : bobs.includes(id) ? 'b' : '?')).join('');
    console.log(`the first 12 documents indexed, by user: ${whose}`);
    expect(whose).not.toContain('?');
    // In every prefix of the order, neither user is more than two documents ahead (two run at once).
    let lead = 0;
    for (const user of whose) {
      lead += user === 'a' ? 1 : -1;
      expect(Math.abs(lead), whose).toBeLessThanOrEqual(2);
    }
  });

  it("takes a reindex at its uploader's turn, also after a restart that put the upload behind the checkpoint", { timeout: 180_000 }, async () => {
    const bobs = await fixture.uploadAs(bob.actor, bob.knowledgeBaseId, 'bob.txt', note('bob', 0));
    const first = await startWorker();
    await fixture.settled(bobs);
    await first.idle();
    await first.stop();
    const [upload] = await fixture.events(bobs);
    const checkpoint = await sqlWorkerCheckpoints(fixture.sql).load('document-pipeline');
    expect(comparePositions(checkpoint, upload!.position)).toBeGreaterThanOrEqual(0);

    const queue = await uploadMany(fixture, alice, 'alice', 100);
    // Asked by someone with a long queue of her own (as an admin could): the turn is still Bob's, the uploader's.
    await handleCommand(fixture.store, documentStream(bobs), documentDecider, {
      type: 'ReindexDocument',
      data: { requestedBy: alice.actor.id },
    });
    // A new worker has not seen Bob's upload: it finds the uploader in the document's stream.
    const second = await startWorker();
    await until("Bob's document is indexed again, or too many of Alice's", async () => {
      const order = await indexedOrder(fixture);
      return order.filter((id) => id === bobs).length === 2 || indexedOf(order, queue) > 2 * ABOUT_ONE_DOCUMENT;
    });
    await second.stop();

    const beforeReindex = indexedBefore(await indexedOrder(fixture), queue, bobs, 2);
    console.log(`of Alice's 100 queued documents, ${beforeReindex} were indexed before Bob's reindex`);
    expect(beforeReindex).toBeLessThan(50);
    expect(beforeReindex).toBeLessThanOrEqual(ABOUT_ONE_DOCUMENT);
  });
});
