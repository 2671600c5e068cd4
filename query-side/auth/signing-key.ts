/**
 * The HS256 signing key for access tokens: JWT_SECRET when configured, otherwise a random key generated once and
 * kept under DATA_DIR (mode 0600) so that a restart keeps every session valid.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

const KEY_FILE = 'jwt-signing-key';

export async function loadSigningKey(options: { jwtSecret?: string | undefined; dataDir: string }): Promise<Uint8Array> {
  if (options.jwtSecret) return new TextEncoder().encode(options.jwtSecret);
  const file = path.join(options.dataDir, KEY_FILE);
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length >= 64) return Buffer.from(stored, 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(options.dataDir, { recursive: true });
  const key = randomBytes(32);
  // Written to a private temp file, then linked into place: link() fails if another process won the race, and
  // nobody ever reads a half-written key.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(partial, key.toString('hex'), { mode: 0o600 });
  try {
    await link(partial, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  } finally {
    await unlink(partial);
  }
}
