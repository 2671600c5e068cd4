/**
 * Real databases for integration tests: a fresh database on this machine's PostgreSQL server per call, and a fresh
 * PGlite (in memory, from the cached template) per call. Nothing is shared between tests.
 */
import { randomBytes } from 'node:crypto';
import { createPgliteSql } from '../sql/pglite.ts';
import { pgliteTemplateFile } from '../sql/pglite-template.ts';
import { createPostgresSql, type PostgresSqlOptions } from '../sql/postgres.ts';
import type { Sql } from '../../contracts/sql.ts';

export const TEST_POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

export async function createTestPostgres(options: { max?: number } = {}): Promise<TestDatabase> {
  const name = `ka_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = createPostgresSql(TEST_POSTGRES_ADMIN_URL, { max: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const sql = createPostgresSql(url.toString(), { max: options.max ?? 10 });
  return {
    url: url.toString(),
    sql,
    async drop() {
      await sql.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

/**
 * Another client of a test database (a lease's dedicated session, a connection a test kills, a child process), so
 * that tests outside ops need no driver of their own.
 */
export const connectTestPostgres = (url: string, options: PostgresSqlOptions = {}): Sql => createPostgresSql(url, options);

export async function createTestPglite(): Promise<Sql> {
  return createPgliteSql({ templateFile: await pgliteTemplateFile() });
}
