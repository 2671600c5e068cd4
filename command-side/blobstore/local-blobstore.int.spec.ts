import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError, BlobTooLargeError } from './blobstore.ts';
import type { BlobStore } from './blobstore.ts';
import { createLocalBlobStore } from './local-blobstore.ts';

describe('local blob store', () => {
  let dir: string;
  let blobs: BlobStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'blobs-'));
    blobs = createLocalBlobStore(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stores bytes under their sha256 and reads them back', async () => {
    const bytes = new TextEncoder().encode('hello blobs');
    const ref = await blobs.put(bytes);
    expect(ref).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length });
    expect(await blobs.has(ref.sha256)).toBe(true);
    expect(Buffer.from(await blobs.get(ref.sha256)).toString()).toBe('hello blobs');
    expect(await blobs.put(bytes)).toEqual(ref);
  });

  it('streams in pieces and keeps nothing when the limit is passed', async () => {
    async function* pieces(n: number) {
      for (let i = 0; i < n; i++) yield new Uint8Array(1000).fill(i);
    }
    const ref = await blobs.putStream(pieces(5), { maxBytes: 5000 });
    expect(ref.sizeBytes).toBe(5000);
    await expect(blobs.putStream(pieces(6), { maxBytes: 5000 })).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('stages bytes nobody can read until committed; a discarded stage leaves nothing', async () => {
    const bytes = new TextEncoder().encode('staged bytes');
    const staged = await blobs.stageStream((async function* () { yield bytes; })());
    expect(staged.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(Buffer.from(await staged.bytes()).toString()).toBe('staged bytes');
    expect(await blobs.has(staged.sha256)).toBe(false);
    await staged.discard();
    expect(await blobs.has(staged.sha256)).toBe(false);
    expect(await readdir(path.join(dir, 'tmp'))).toEqual([]);
    const again = await blobs.stageStream((async function* () { yield bytes; })());
    expect(await again.commit()).toEqual({ sha256: staged.sha256, sizeBytes: bytes.length });
    expect(Buffer.from(await blobs.get(staged.sha256)).toString()).toBe('staged bytes');
  });

  it('deletes, and reports a missing blob clearly', async () => {
    const ref = await blobs.put(new Uint8Array([1, 2, 3]));
    await blobs.delete(ref.sha256);
    expect(await blobs.has(ref.sha256)).toBe(false);
    await expect(blobs.get(ref.sha256)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(blobs.get('../etc/passwd')).rejects.toThrow(TypeError);
  });
});
