/**
 * GraphiQL's browser files, served from our own node_modules (no CDN: GraphiQL must work with no internet).
 * Read once at first use and kept in memory (~1.5 MB).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface Asset {
  name: string;
  contentType: string;
  body: Buffer;
}

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = path.join(dir, name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
  }
  throw new Error(`package ${name} is not installed`);
}

/** URL name -> file inside a package. The page loads them in this order. */
const FILES = [
  { name: 'react.production.min.js', pkg: 'react', file: 'umd/react.production.min.js' },
  { name: 'react-dom.production.min.js', pkg: 'react-dom', file: 'umd/react-dom.production.min.js' },
  { name: 'graphql-ws.min.js', pkg: 'graphql-ws', file: 'umd/graphql-ws.min.js' },
  { name: 'graphiql.min.js', pkg: 'graphiql', file: 'graphiql.min.js' },
  { name: 'graphiql.min.css', pkg: 'graphiql', file: 'graphiql.min.css' },
] as const;

export const SCRIPT_NAMES = FILES.filter((f) => f.name.endsWith('.js')).map((f) => f.name);
export const STYLE_NAMES = FILES.filter((f) => f.name.endsWith('.css')).map((f) => f.name);

let loaded: Promise<Map<string, Asset>> | undefined;

export function loadGraphiqlAssets(): Promise<Map<string, Asset>> {
  loaded ??= Promise.all(
    FILES.map(async ({ name, pkg, file }): Promise<Asset> => ({
      name,
      contentType: name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      body: await readFile(path.join(packageDir(pkg), file)),
    })),
  ).then((assets) => new Map(assets.map((asset) => [asset.name, asset])));
  return loaded;
}
