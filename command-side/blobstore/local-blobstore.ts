/**
 * BlobStore on a local directory (DATA_DIR/blobs): blobs/ab/cd/<sha256>. Writes go to a temporary file in the same
 * directory tree and are renamed into place, so a reader never sees half a blob and a crash leaves only a temp file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { assertSha256, BlobNotFoundError, BlobTooLargeError } from './blobstore.ts';
import type { BlobStore, PutStreamOptions, StagedBlob } from './blobstore.ts';

export function createLocalBlobStore(root: string): BlobStore {
  const tmpDir = path.join(root, 'tmp');
  const pathOf = (sha256: string) => {
    assertSha256(sha256);
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  async function stageStream(source: AsyncIterable<Uint8Array>, options: PutStreamOptions = {}): Promise<StagedBlob> {
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    const file = await open(tmp, 'w');
    try {
      for await (const chunk of source) {
        sizeBytes += chunk.byteLength;
        if (options.maxBytes !== undefined && sizeBytes > options.maxBytes) throw new BlobTooLargeError(options.maxBytes);
        hash.update(chunk);
        await file.write(chunk);
      }
      await file.sync();
    } catch (error) {
      await file.close();
      await rm(tmp, { force: true });
      throw error;
    }
    await file.close();
    const sha256 = hash.digest('hex');
    return {
      sha256,
      sizeBytes,
      bytes: async () => new Uint8Array(await readFile(tmp)),
      async commit() {
        const target = pathOf(sha256);
        await mkdir(path.dirname(target), { recursive: true });
        // Same content, same name: renaming over an existing blob is harmless.
        await rename(tmp, target);
        return { sha256, sizeBytes };
      },
      discard: () => rm(tmp, { force: true }),
    };
  }

  const putStream = async (source: AsyncIterable<Uint8Array>, options?: PutStreamOptions) =>
    (await stageStream(source, options)).commit();

  return {
    put: (bytes) =>
      putStream(
        (async function* () {
          yield bytes;
        })(),
      ),
    putStream,
    stageStream,
    async get(sha256) {
      try {
        return new Uint8Array(await readFile(pathOf(sha256)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(sha256);
        throw error;
      }
    },
    async has(sha256) {
      try {
        return (await stat(pathOf(sha256))).isFile();
      } catch {
        return false;
      }
    },
    async delete(sha256) {
      await rm(pathOf(sha256), { force: true });
    },
  };
}
