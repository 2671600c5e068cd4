import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSigningKey } from './signing-key.ts';

describe('signing key', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ka-key-'));
    dirs.push(dir);
    return dir;
  };

  it('is generated once under DATA_DIR with mode 0600 and reused after a restart', async () => {
    const dataDir = path.join(await tempDir(), 'data');
    const first = await loadSigningKey({ dataDir });
    const again = await loadSigningKey({ dataDir });
    expect(first.length).toBe(32);
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    const mode = (await stat(path.join(dataDir, 'jwt-signing-key'))).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('different data dirs get different keys; JWT_SECRET wins over the file', async () => {
    const a = await loadSigningKey({ dataDir: await tempDir() });
    const b = await loadSigningKey({ dataDir: await tempDir() });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    const secret = 's'.repeat(40);
    expect(Buffer.from(await loadSigningKey({ jwtSecret: secret, dataDir: await tempDir() })).toString()).toBe(secret);
  });

  it('concurrent first starts agree on one key', async () => {
    const dataDir = await tempDir();
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadSigningKey({ dataDir })));
    for (const key of keys) expect(Buffer.from(key).equals(Buffer.from(keys[0]!))).toBe(true);
  });
});
