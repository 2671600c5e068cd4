/**
 * BlobStore on a local directory (DATA_DIR/blobs): blobs/ab/cd/<sha256>. Writes go to a temporary file in the same
 * directory tree and are renamed into place, so a reader never sees half a blob and a crash leaves only a temp file.
 */
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { assertSha256, BlobNotFoundError, putsOf, type BlobStore, type PutStreamOptions, type StagedBlob } from './blobstore.ts';
import { writeStagingFile } from './staging-file.ts';

export function createLocalBlobStore(root: string): BlobStore {
  const tmpDir = path.join(root, 'tmp');
  const pathOf = (sha256: string) => {
    assertSha256(sha256);
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  async function stageStream(source: AsyncIterable<Uint8Array>, options: PutStreamOptions = {}): Promise<StagedBlob> {
    const { path: tmp, sha256, sizeBytes } = await writeStagingFile(tmpDir, source, options);
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

  return {
    ...putsOf(stageStream),
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
