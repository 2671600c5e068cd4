/**
 * The read-model databases: one for the read models (users, knowledge bases, documents, wallets…) and one for the
 * search index (the chunks projection: texts, postings, pgvector). Embedded, each is a PGlite of its own in its own
 * worker thread: a PGlite runs one statement at a time, and indexing a manual (thousands of HNSW inserts) would
 * otherwise hold every balance, status and login behind it. On servers the search index shares DATABASE_URL (one
 * pool) unless SEARCH_DATABASE_URL names another (e.g. the one Postgres with pgvector).
 */
import { CHUNKS_PROJECTOR } from '../../projections/chunks/projector.ts';
import type { Config } from '../config/config.ts';
import { createPgliteSql } from '../sql/pglite.ts';
import { createPostgresSql } from '../sql/postgres.ts';
import type { Sql } from '../../contracts/sql.ts';
import { probeVectorSupport, type VectorSupport } from './vector-support.ts';

/** Projectors whose rows live in the search index rather than with the other read models. */
export const SEARCH_INDEX_PROJECTORS: readonly string[] = [CHUNKS_PROJECTOR];

export interface ReadModelDatabases {
  readModels: Sql;
  /** The same object as readModels when both are one server database. */
  searchIndex: Sql;
  /** Projector name -> its database, for those not in readModels (the runtime's `databases`). */
  byProjector: Record<string, Sql>;
  /** Whether the search index can hold vectors (pgvector); without, search is lexical alone (vector-support.ts). */
  searchIndexVectors: VectorSupport;
  close(): Promise<void>;
}

/** Opens both at once (each PGlite starts in its own thread); if one fails the other is closed again. */
export async function openReadModelDatabases(
  config: Pick<Config, 'DATABASE_URL' | 'SEARCH_DATABASE_URL' | 'readModelDir' | 'searchIndexDir'>,
  options: { templateFile?: string; name?: string } = {},
): Promise<ReadModelDatabases> {
  const name = options.name ?? 'knowledge-assistant';
  const searchUrl = config.SEARCH_DATABASE_URL ?? config.DATABASE_URL;
  const shared = searchUrl !== undefined && searchUrl === config.DATABASE_URL;
  const open = (url: string | undefined, dir: string, suffix: string) =>
    url ? createPostgresSql(url, { name: `${name}-${suffix}` }) : createPgliteSql({ dataDir: dir, templateFile: options.templateFile });
  const opened = await Promise.allSettled([
    open(config.DATABASE_URL, config.readModelDir, 'read-models'),
    shared ? Promise.resolve(undefined) : open(searchUrl, config.searchIndexDir, 'search-index'),
  ]);
  const [readModelsResult, searchResult] = opened;
  if (readModelsResult.status === 'rejected' || searchResult.status === 'rejected') {
    await Promise.all(opened.map((result) => (result.status === 'fulfilled' ? result.value?.close() : undefined)));
    throw readModelsResult.status === 'rejected' ? readModelsResult.reason : (searchResult as PromiseRejectedResult).reason;
  }
  const readModels = readModelsResult.value;
  const searchIndex = searchResult.value ?? readModels;
  const close = async () => {
    await Promise.all([readModels.close(), searchIndex === readModels ? undefined : searchIndex.close()]);
  };
  const searchIndexVectors = await probeVectorSupport(searchIndex).catch(async (error: unknown) => {
    await close();
    throw error;
  });
  return {
    readModels,
    searchIndex,
    byProjector: Object.fromEntries(SEARCH_INDEX_PROJECTORS.map((projector) => [projector, searchIndex])),
    searchIndexVectors,
    close,
  };
}
