import { describe, expect, it } from 'vitest';
import type { EventStore, RecordedEvent } from '../../../contracts/eventstore.ts';
import { documentOwners } from './document-owners.ts';

const event = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: `${type}-${String(data.documentId)}`,
  type,
  data,
  metadata: {},
  streamId: `document-${String(data.documentId)}`,
  revision: 0,
  position: '1-0',
  createdAt: new Date(0).toISOString(),
});

const upload = (documentId: string, uploadedBy: string, revision = 1) =>
  event('DocumentUploaded', { documentId, knowledgeBaseId: `kb-of-${uploadedBy}`, uploadedBy, revision });
const reindex = (documentId: string, requestedBy: string) =>
  event('DocumentReindexRequested', { documentId, revision: 2, requestedBy, cause: 'reindex' });

/** A store holding one stream per document; counts its reads and fails the first `failures` of them. */
function storeOf(streams: Record<string, RecordedEvent[]>, failures = 0) {
  const reads: { streamId: string; maxCount: number | undefined }[] = [];
  const store = {
    async readStream(streamId: string, options?: { maxCount?: number }) {
      reads.push({ streamId, maxCount: options?.maxCount });
      if (failures-- > 0) throw new Error('connection refused');
      return (streams[streamId] ?? []).slice(0, options?.maxCount);
    },
  } as unknown as EventStore;
  return { store, reads };
}

const never = new AbortController().signal;

describe('documentOwners', () => {
  it("charges an upload to its uploader and a reindex to the document's first uploader, not to who asked", async () => {
    const { store, reads } = storeOf({ 'document-d1': [upload('d1', 'bob')] });
    const owners = documentOwners(store);
    expect(await owners.of(upload('d2', 'carol'), never)).toEqual({ user: 'carol', knowledgeBaseId: 'kb-of-carol' });
    // d1's upload was never seen (before the checkpoint): its stream's first event answers, read once.
    expect(await owners.of(reindex('d1', 'admin'), never)).toEqual({ user: 'bob', knowledgeBaseId: 'kb-of-bob' });
    expect(await owners.of(reindex('d1', 'admin'), never)).toEqual({ user: 'bob', knowledgeBaseId: 'kb-of-bob' });
    expect(reads).toEqual([{ streamId: 'document-d1', maxCount: 1 }]);
  });

  it('remembers uploads it has seen, and answers the same for a re-upload by someone else', async () => {
    const { store, reads } = storeOf({ 'document-d1': [upload('d1', 'bob')] });
    const owners = documentOwners(store);
    await owners.of(upload('d1', 'bob'), never);
    expect(await owners.of(upload('d1', 'carol', 3), never)).toMatchObject({ user: 'carol' });
    // Asked again for the same reindex (reading a set-back queue back), the answer must not change: the first uploader.
    expect(await owners.of(reindex('d1', 'carol'), never)).toMatchObject({ user: 'bob' });
    expect(reads).toEqual([]);
  });

  it('forgets the least recently used documents beyond its capacity', async () => {
    const { store, reads } = storeOf({ 'document-d1': [upload('d1', 'bob')] });
    const owners = documentOwners(store, { capacity: 2 });
    for (const id of ['d1', 'd2', 'd3']) await owners.of(upload(id, 'bob'), never);
    await owners.of(reindex('d3', 'x'), never);
    expect(reads).toEqual([]);
    await owners.of(reindex('d1', 'x'), never);
    expect(reads.map((r) => r.streamId)).toEqual(['document-d1']);
  });

  it('retries a failing store, and gives up once stopped', async () => {
    const { store, reads } = storeOf({ 'document-d1': [upload('d1', 'bob')] }, 2);
    const retried: unknown[] = [];
    const owners = documentOwners(store, { retryDelayMs: 1, onRetry: (error) => retried.push(error) });
    expect(await owners.of(reindex('d1', 'x'), never)).toMatchObject({ user: 'bob' });
    expect([reads.length, retried.length]).toEqual([3, 2]);

    const down = storeOf({}, Infinity).store;
    const stopping = new AbortController();
    const asked = documentOwners(down, { retryDelayMs: 10_000 }).of(reindex('d9', 'x'), stopping.signal);
    stopping.abort(new Error('worker stopped'));
    await expect(asked).rejects.toThrow('worker stopped');
  });
});
