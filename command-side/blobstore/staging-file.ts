/**
 * An upload's bytes written to a temporary file while they are hashed and counted: the sha256 (the blob's name) is
 * known only at the end, and the whole file is never held in memory. Every blob store stages this way, then moves
 * the file into place (a rename on disk, a PUT to a bucket).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { BlobTooLargeError } from './blobstore.ts';
import type { BlobRef, PutStreamOptions } from './blobstore.ts';

export interface StagingFile extends BlobRef {
  /** The temporary file holding the bytes; the caller renames, uploads or removes it. */
  path: string;
}

/** Writes `source` to a new file in `dir`. When the source fails or passes `maxBytes`, no file is left behind. */
export async function writeStagingFile(
  dir: string,
  source: AsyncIterable<Uint8Array>,
  options: PutStreamOptions = {},
): Promise<StagingFile> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const handle = await open(file, 'w');
  try {
    for await (const chunk of source) {
      sizeBytes += chunk.byteLength;
      if (options.maxBytes !== undefined && sizeBytes > options.maxBytes) throw new BlobTooLargeError(options.maxBytes);
      hash.update(chunk);
      await handle.write(chunk);
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(file, { force: true });
    throw error;
  }
  await handle.close();
  return { path: file, sha256: hash.digest('hex'), sizeBytes };
}
