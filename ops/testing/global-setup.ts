/** Runs once before all test files: makes the PGlite template so parallel test files do not all run initdb. */
import { pgliteTemplateFile } from '../sql/pglite-template.ts';

export default async function setup(): Promise<void> {
  await pgliteTemplateFile();
}
