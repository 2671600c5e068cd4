/**
 * A fresh PGlite database costs ~5 s of initdb; loading a tarball of one costs ~1 s. This keeps one tarball of an
 * empty database (with pgvector created) per PGlite version under .cache/, made on first use, shared by processes.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPgliteSql } from './pglite.ts';

const PGLITE_VERSION = '0.5.14';
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function pgliteTemplateFile(cacheDir = path.join(projectRoot, '.cache')): Promise<string> {
  const file = path.join(cacheDir, `pglite-${PGLITE_VERSION}-template.tar.gz`);
  if (existsSync(file)) return file;
  await mkdir(cacheDir, { recursive: true });
  const sql = await createPgliteSql();
  try {
    await sql.exec('CREATE EXTENSION IF NOT EXISTS vector');
    const tarball = await sql.dump();
    const partial = `${file}.${process.pid}.${Date.now()}.partial`;
    await writeFile(partial, tarball);
    await rename(partial, file);
  } finally {
    await sql.close();
  }
  return file;
}
