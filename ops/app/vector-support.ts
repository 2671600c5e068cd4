/**
 * Whether the search index's database can hold vectors (pgvector), asked once at start by every process.
 *
 * Without pgvector the chunks projection used to fail on its first migration (`type "vector" does not exist`), only
 * in its log, and every document then waited for a search index that never moved ("embedding 16/188" for ever).
 * Now the app serves lexical search alone there: the search index is built without a vector column (BM25 needs
 * none), the dense ranking is off, and /healthz and the start log say why and how to get pgvector. Vectors the
 * pipeline computes stay in the log: once pgvector is there, a restart rebuilds the index with them (the chunks
 * projector's version includes this capability).
 *
 * An extension the server has but this database has not created yet is created here, under the DDL lock shared by
 * every process; when that is refused (no right to create extensions), it counts as missing, with the reason.
 */
import { lockDdl } from '../../contracts/ddl-lock.ts';
import type { Sql } from '../../contracts/sql.ts';

export type VectorSupport = { available: true } | { available: false; reason: string };

const HOW_TO_GET_IT =
  'install pgvector >= 0.8 on the Postgres server (the pgvector/pgvector image, or the postgresql-<version>-pgvector ' +
  'package), then run CREATE EXTENSION vector in the database, or point SEARCH_DATABASE_URL at a database that has it';

async function extensionState(sql: Sql): Promise<{ created: boolean; installable: boolean }> {
  const [row] = await sql.query<{ created: boolean; installable: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS created,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS installable`,
  );
  return { created: row?.created === true, installable: row?.installable === true };
}

export async function probeVectorSupport(sql: Sql): Promise<VectorSupport> {
  const state = await extensionState(sql);
  if (state.created) return { available: true };
  if (!state.installable) {
    return { available: false, reason: `the search index database has no pgvector extension: ${HOW_TO_GET_IT}` };
  }
  try {
    await sql.transaction(async (tx) => {
      await lockDdl(tx);
      await tx.exec('CREATE EXTENSION IF NOT EXISTS vector');
    });
    return { available: true };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      available: false,
      reason: `the search index database could not create the pgvector extension (${why}): run CREATE EXTENSION vector there as a user allowed to`,
    };
  }
}

/** The line /healthz and the start log give when there is no vector search, by what it costs this configuration. */
export function lexicalOnlyWarning(support: VectorSupport, denseWeight: number): string | undefined {
  if (support.available) return undefined;
  return denseWeight > 0
    ? `search is lexical (BM25) only: the dense weight ${denseWeight} is not applied because ${support.reason}`
    : `search is lexical (BM25) only, as configured; a dense weight above 0 would need pgvector: ${support.reason}`;
}
