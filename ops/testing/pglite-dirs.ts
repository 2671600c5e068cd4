/**
 * PGlite kept in a directory, for tests where the database must outlive a process (a child killed with SIGKILL
 * and the parent reopening what it left). Starts from the cached template, so a new directory skips initdb.
 * One process at a time: PGlite is single-connection.
 */
import { createPgliteSql } from '../sql/pglite.ts';
import { pgliteTemplateFile } from '../sql/pglite-template.ts';
import type { Sql } from '../../contracts/sql.ts';

export async function openTestPgliteAt(dataDir: string): Promise<Sql> {
  return createPgliteSql({ dataDir, templateFile: await pgliteTemplateFile() });
}
