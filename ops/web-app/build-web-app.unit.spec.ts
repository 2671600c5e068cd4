import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { webAppIsFresh } from './build-web-app.ts';

describe('whether npm start must build the web app', () => {
  let root: string;
  afterEach(async () => rm(root, { recursive: true, force: true }));

  async function uiRoot(): Promise<string> {
    root = await mkdtemp(path.join(os.tmpdir(), 'ka-ui-'));
    await mkdir(path.join(root, 'src', 'pages'), { recursive: true });
    await writeFile(path.join(root, 'src', 'pages', 'ChatPage.vue'), '<template />');
    return root;
  }
  const at = (file: string, seconds: number) => utimes(file, seconds, seconds);

  it('builds when there is no build yet', async () => {
    expect(await webAppIsFresh(await uiRoot())).toBe(false);
  });

  it('builds when a source changed after the build, not otherwise', async () => {
    const ui = await uiRoot();
    await mkdir(path.join(ui, 'dist', 'assets'), { recursive: true });
    const index = path.join(ui, 'dist', 'index.html');
    await writeFile(index, '<!doctype html>');
    await at(path.join(ui, 'src', 'pages', 'ChatPage.vue'), 1_000);
    await at(index, 2_000);
    expect(await webAppIsFresh(ui)).toBe(true);
    // The build's own output never makes it stale.
    await writeFile(path.join(ui, 'dist', 'assets', 'index-1.js'), '');
    await at(path.join(ui, 'dist', 'assets', 'index-1.js'), 3_000);
    expect(await webAppIsFresh(ui)).toBe(true);
    await at(path.join(ui, 'src', 'pages', 'ChatPage.vue'), 2_500);
    expect(await webAppIsFresh(ui)).toBe(false);
  });
});
