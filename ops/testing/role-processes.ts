/**
 * Real `npm start` processes in a ROLE (test code only): `ops/main.ts` forked with tsx, sharing the servers a test
 * gives them in `env`. A process is ready once it printed where its /healthz is (every role prints it; an api also
 * where its GraphQL is).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chunkMigrations } from '../../projections/chunks/schema.ts';
import type { TestDatabase } from './databases.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface RoleProcess {
  role: string;
  child: ChildProcess;
  /** http://localhost:PORT of /healthz and /metrics. */
  probeUrl: string;
  /** The api's http://localhost:PORT (GraphQL), for ROLE=api. */
  url?: string;
}

/** Starts `ops/main.ts` in its role; resolves once it printed where it can be probed (and, for an api, reached). */
export function startRole(role: string, env: Record<string, string>): Promise<RoleProcess> {
  const child = fork(MAIN, [], {
    execArgv: ['--import', TSX],
    env: { ...process.env, ...env, ROLE: role },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`ROLE=${role} did not start: ${output}`)), 120_000);
    child.stdout!.on('data', (data: Buffer) => {
      output += String(data);
      const url = /GraphQL:\s+(http:\/\/\S+)\/graphql/.exec(output)?.[1];
      const probeUrl = /Health:\s+(http:\/\/\S+)\/healthz/.exec(output)?.[1];
      if (probeUrl && (role !== 'api' || url)) {
        clearTimeout(timer);
        resolve({ role, child, probeUrl, ...(url && { url }) });
      }
    });
    child.once('exit', (code) => reject(new Error(`ROLE=${role} exited with ${code}: ${output}`)));
  });
}

export function stopRole({ child }: RoleProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * The Postgres server of our build machines has no pgvector, so the chunks projection cannot create its tables there
 * (it fails alone; the other projectors run on). The saga's retrieval reads only the lexical ones: they are created
 * here from the projection's own migrations, vectors as plain arrays and without the HNSW index.
 */
export async function createLexicalSearchTables(db: TestDatabase): Promise<void> {
  for (const migration of chunkMigrations(8)) {
    await db.sql.exec(migration.sql.replace(/vector\(\d+\)/g, 'real[]').replace(/CREATE INDEX chunk_vectors_embedding_idx[^;]*;/, ''));
  }
}
