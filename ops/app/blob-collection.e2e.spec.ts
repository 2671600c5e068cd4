/**
 * The file of a deleted document leaves the blob store once no live document has the same bytes, through the whole
 * app (upload route, deleteDocument, the collector in the worker role), and comes back with a new upload.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePositions } from '../../contracts/position.ts';
import { documentStream } from '../../contracts/streams.ts';
import { register, type Session } from '../../query-side/resolvers/identity.testing.ts';
import { createKnowledgeBase, upload, waitForStatus } from '../../query-side/upload/upload.testing.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';

const DELETE = `mutation($id: ID!) { deleteDocument(id: $id) { id status } }`;
const BYTES = new TextEncoder().encode('# Valves\n\nClose the inlet valve before you open the filter housing.\n');
const SHA256 = createHash('sha256').update(BYTES).digest('hex');

describe('deleted documents leave the blob store', () => {
  let app: TestApp;
  let owner: Session;
  const blobPath = () => path.join(app.dataDir, 'blobs', SHA256.slice(0, 2), SHA256.slice(2, 4), SHA256);

  beforeAll(async () => {
    app = await startTestApp();
    owner = await register(app, 'owner@example.com');
  }, 180_000);
  afterAll(async () => app?.close());

  const uploadTo = async (kb: string) => {
    const { status, body } = await upload(app, kb, { name: 'valves.md', bytes: BYTES }, { token: owner.accessToken });
    expect(status).toBe(201);
    await waitForStatus(app, owner.accessToken, body.id!, ['indexed'], 90_000);
    return body.id!;
  };

  /** Deletes, then waits until the collector has handled that deletion. */
  async function deleteAndCollect(documentId: string): Promise<void> {
    const result = await app.gql(DELETE, { id: documentId }, owner.accessToken);
    expect(result.errors).toBeUndefined();
    const deleted = (await app.app.eventStore.readStream(documentStream(documentId))).at(-1)!;
    expect(deleted.type).toBe('DocumentDeleted');
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await app.app.readModels.query<{ position: string }>(
        `SELECT position FROM reactor_checkpoints WHERE reactor = 'blob-collector'`,
      );
      if (rows[0] && comparePositions(rows[0].position, deleted.position) >= 0) return;
      if (Date.now() > deadline) throw new Error('the blob collector did not handle the deletion in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('keeps the file while another knowledge base has the same bytes, deletes it with the last one', async () => {
    const [kbA, kbB] = [await createKnowledgeBase(app, owner, 'A'), await createKnowledgeBase(app, owner, 'B')];
    const [a, b] = [await uploadTo(kbA), await uploadTo(kbB)];
    expect(a).not.toBe(b);
    expect(existsSync(blobPath())).toBe(true);
    await deleteAndCollect(a);
    expect(existsSync(blobPath())).toBe(true);
    await deleteAndCollect(b);
    expect(existsSync(blobPath())).toBe(false);

    // The same bytes uploaded again are stored again and processed as a new revision.
    const again = await uploadTo(kbA);
    expect(again).toBe(a);
    expect(existsSync(blobPath())).toBe(true);
  }, 180_000);
});
