/**
 * Builds the web app (ui/ -> ui/dist) when it is missing or older than its sources, so that `npm start` on a fresh
 * clone serves the UI with no extra step. Vite is a development dependency: where it is absent (a production image
 * that copied a built ui/dist) nothing is built.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const UI_ROOT = fileURLToPath(new URL('../../ui', import.meta.url));
/** Where the build goes (ui/vite.config.ts), and what the server serves unless UI_DIR says otherwise. */
export const BUILT_WEB_APP_DIR = path.join(UI_ROOT, 'dist');

async function newestSourceMs(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (file.includes(`${path.sep}dist${path.sep}`) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    newest = Math.max(newest, (await stat(file)).mtimeMs);
  }
  return newest;
}

/** True when ui/dist/index.html exists and is newer than every file of ui/ outside dist. */
export async function webAppIsFresh(uiRoot = UI_ROOT): Promise<boolean> {
  const index = path.join(uiRoot, 'dist', 'index.html');
  if (!existsSync(index)) return false;
  return (await stat(index)).mtimeMs >= (await newestSourceMs(uiRoot));
}

export interface BuildOutcome {
  /** False when the build was fresh, or Vite is not installed. */
  built: boolean;
  ms: number;
}

export async function buildWebAppIfStale(uiRoot = UI_ROOT): Promise<BuildOutcome> {
  if (await webAppIsFresh(uiRoot)) return { built: false, ms: 0 };
  return buildWebApp(uiRoot);
}

/** Builds whatever ui/dist holds (a measurement must not take a build made from other sources for this one's). */
export async function buildWebApp(uiRoot = UI_ROOT): Promise<BuildOutcome> {
  const started = performance.now();
  const vite = await import('vite').catch(() => undefined);
  if (!vite) return { built: false, ms: 0 };
  await vite.build({ configFile: path.join(uiRoot, 'vite.config.ts'), logLevel: 'warn' });
  return { built: true, ms: Math.round(performance.now() - started) };
}
