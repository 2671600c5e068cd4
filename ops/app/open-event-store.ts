/**
 * Opens the event store the configuration names: esdb:// -> EventStoreDB; postgres(ql):// -> the SQL store on that
 * server; nothing -> the SQL store on an embedded PGlite kept in dataDir. The store owns the Sql it opens here.
 * It lives in the composition root because it picks drivers (ops/sql) for the adapters of command-side/eventstore.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { createSqlEventStore } from '../../command-side/eventstore/sql/sql-event-store.ts';
import { createPgliteSql } from '../sql/pglite.ts';
import { createPostgresSql } from '../sql/postgres.ts';

export interface OpenEventStoreOptions {
  /** EVENTSTORE_URL: esdb://…, postgres://… or postgresql://…; omitted = embedded PGlite in dataDir. */
  url?: string;
  dataDir: string;
  /** A PGlite datadir tarball to start a new embedded database from (skips initdb). */
  templateFile?: string;
}

export async function openEventStore(options: OpenEventStoreOptions): Promise<EventStore> {
  const url = options.url?.trim();
  if (url && /^esdb(\+discover)?:\/\//.test(url)) {
    const { createEsdbEventStore } = await import('../../command-side/eventstore/esdb/esdb-event-store.ts');
    return createEsdbEventStore(url);
  }
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const sql = createPostgresSql(url, { name: 'knowledge-assistant-eventstore' });
    try {
      return await createSqlEventStore(sql, { ownsSql: true });
    } catch (error) {
      await sql.close().catch(() => undefined);
      throw new DomainError('UNAVAILABLE', `event store at ${redact(url)} cannot be opened: ${(error as Error).message}`);
    }
  }
  if (url) throw new DomainError('BAD_USER_INPUT', `EVENTSTORE_URL ${redact(url)} is neither esdb:// nor postgres://`);
  const sql = await createPgliteSql({ dataDir: options.dataDir, templateFile: options.templateFile });
  try {
    return await createSqlEventStore(sql, { ownsSql: true });
  } catch (error) {
    await sql.close().catch(() => undefined);
    throw error;
  }
}

/** A URL fit for a log line: without its password. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
