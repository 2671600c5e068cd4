/** Paths of the fixture files and data sets kept in the repository (see ./fixtures/README.md and ./data/README.md). */
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const DATA_SETS_DIR = fileURLToPath(new URL('./data/', import.meta.url));

export const fixturePath = (name: string): string => `${FIXTURES_DIR}${name}`;
