/**
 * Runs once before all test files: makes the PGlite template so parallel test files do not all run initdb, and
 * builds the web app when it is missing or stale, so browser tests run against the current ui/.
 */
import { pgliteTemplateFile } from '../sql/pglite-template.ts';
import { buildWebAppIfStale } from '../web-app/build-web-app.ts';

export default async function setup(): Promise<void> {
  await Promise.all([pgliteTemplateFile(), buildWebAppIfStale()]);
}
