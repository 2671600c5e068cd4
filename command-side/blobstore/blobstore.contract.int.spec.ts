/**
 * The one contract every blob store adapter keeps: the local directory and an S3 bucket (of a real s3rver process,
 * ops/testing/s3-server.ts) pass the same tests.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestBlobStore, type TestBlobStore, type TestBlobStoreKind } from '../../ops/testing/blobstores.ts';
import { BlobNotFoundError, BlobTooLargeError } from './blobstore.ts';
import type { BlobStore } from './blobstore.ts';

const kinds: TestBlobStoreKind[] = ['local', 's3'];

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString();
const once = (bytes: Uint8Array) =>
  (async function* () {
    yield bytes;
  })();

/** `count` pieces of `size` bytes, each filled with its index (so order matters to the hash). */
async function* pieces(count: number, size = 1000) {
  for (let i = 0; i < count; i++) yield new Uint8Array(size).fill(i % 256);
}

describe.each(kinds)('blob store contract: %s', (kind) => {
  let opened: TestBlobStore;
  let blobs: BlobStore;
  const staged = async () => {
    await mkdir(opened.stagingDir, { recursive: true });
    return readdir(opened.stagingDir);
  };

  beforeAll(async () => {
    opened = await openTestBlobStore(kind);
    blobs = opened.blobs;
  });
  afterAll(() => opened?.close());

  it('stores bytes under their sha256 and reads them back; the same bytes again are the same blob', async () => {
    const bytes = new TextEncoder().encode(`hello blobs (${kind})`);
    const ref = await blobs.put(bytes);
    expect(ref).toEqual({ sha256: sha256Of(bytes), sizeBytes: bytes.length });
    expect(await blobs.has(ref.sha256)).toBe(true);
    expect(text(await blobs.get(ref.sha256))).toBe(`hello blobs (${kind})`);
    expect(await blobs.put(bytes)).toEqual(ref);
    expect(text(await blobs.get(ref.sha256))).toBe(`hello blobs (${kind})`);
    expect(await staged()).toEqual([]);
  });

  it('streams in pieces and keeps nothing when the limit is passed', async () => {
    const ref = await blobs.putStream(pieces(5), { maxBytes: 5000 });
    expect(ref.sizeBytes).toBe(5000);
    const tooLarge = blobs.putStream(pieces(6), { maxBytes: 5000 });
    await expect(tooLarge).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(await staged()).toEqual([]);
  });

  it('keeps nothing when the source fails part-way', async () => {
    async function* failing() {
      yield new Uint8Array(100).fill(7);
      throw new Error('client went away');
    }
    await expect(blobs.putStream(failing())).rejects.toThrow('client went away');
    expect(await staged()).toEqual([]);
  });

  it('stages bytes nobody can read until committed; a discarded stage leaves nothing', async () => {
    const bytes = new TextEncoder().encode(`staged bytes (${kind})`);
    const stage = await blobs.stageStream(once(bytes));
    expect(stage.sha256).toBe(sha256Of(bytes));
    expect(text(await stage.bytes())).toBe(`staged bytes (${kind})`);
    expect(await blobs.has(stage.sha256)).toBe(false);
    await expect(blobs.get(stage.sha256)).rejects.toBeInstanceOf(BlobNotFoundError);
    await stage.discard();
    expect(await blobs.has(stage.sha256)).toBe(false);
    expect(await staged()).toEqual([]);
    const again = await blobs.stageStream(once(bytes));
    expect(await again.commit()).toEqual({ sha256: stage.sha256, sizeBytes: bytes.length });
    expect(text(await blobs.get(stage.sha256))).toBe(`staged bytes (${kind})`);
    expect(await staged()).toEqual([]);
  });

  it('a multi-megabyte file streamed in pieces comes back byte for byte', async () => {
    const hash = createHash('sha256');
    for await (const piece of pieces(96, 256 * 1024)) hash.update(piece);
    const ref = await blobs.putStream(pieces(96, 256 * 1024));
    expect(ref).toEqual({ sha256: hash.digest('hex'), sizeBytes: 96 * 256 * 1024 });
    const back = await blobs.get(ref.sha256);
    expect(back.byteLength).toBe(ref.sizeBytes);
    expect(sha256Of(back)).toBe(ref.sha256);
    expect(await staged()).toEqual([]);
  });

  it('deletes (twice is harmless), and reports a missing blob as not found', async () => {
    const ref = await blobs.put(new Uint8Array([1, 2, 3, kind.length]));
    await blobs.delete(ref.sha256);
    await blobs.delete(ref.sha256);
    expect(await blobs.has(ref.sha256)).toBe(false);
    const missing = blobs.get(ref.sha256);
    await expect(missing).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(missing).rejects.toMatchObject({ sha256: ref.sha256 });
  });

  it('refuses names that are not sha256 digests', async () => {
    await expect(blobs.get('../etc/passwd')).rejects.toThrow(TypeError);
    await expect(blobs.delete('ABC')).rejects.toThrow(TypeError);
  });
});
