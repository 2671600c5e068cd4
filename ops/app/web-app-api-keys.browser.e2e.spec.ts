/**
 * The API keys page in a real browser: create a key narrowed to a knowledge base with limits, see its secret once
 * and copy it, use it with OpenAI's client, then revoke it and see the client refused. Then a key of a workspace
 * the user owns: chosen on the page (only workspaces where they are OWNER are offered), listed as the workspace's,
 * reaching only its knowledge bases. The page passes axe; screenshots go to test-artifacts/web-app.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, createWorkspaceKnowledgeBase, openAiClient } from '../../query-side/openai-compat/openai-compat.testing.ts';
import { createKnowledgeBase } from '../../query-side/resolvers/chat.testing.ts';
import { register, type Session } from '../../query-side/resolvers/identity.testing.ts';
import { seriousAccessibilityViolations } from '../testing/axe.ts';
import { openTestBrowser, type TestBrowser } from '../testing/browser.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';

const ARTIFACTS = path.resolve('test-artifacts/web-app');

declare const navigator: { clipboard: { readText(): Promise<string> } };

describe('the API keys page in a real browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let alice: Session;
  let kb: string;
  let teamKb: string;
  const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);

  beforeAll(async () => {
    app = await startTestApp();
    alice = await register(app, 'alice@example.com');
    kb = await createKnowledgeBase(app, alice.accessToken, 'Plant manuals');
    await createKnowledgeBase(app, alice.accessToken, 'Office');
    const bob = await register(app, 'bob@example.com');
    const team = await createWorkspace(app, alice.accessToken, 'Plant team');
    teamKb = await createWorkspaceKnowledgeBase(app, alice.accessToken, team, 'Team handbook');
    await createWorkspaceKnowledgeBase(app, alice.accessToken, team, 'Team notes');
    // Alice is only a viewer of Bob's workspace: it is not offered.
    await createWorkspace(app, bob.accessToken, 'Bob’s team', [['alice@example.com', 'VIEWER']]);
    browser = await openTestBrowser(app.url);
    page = browser.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await page.setViewportSize({ width: 1280, height: 860 });
    const session = JSON.stringify({ accessToken: alice.accessToken, refreshToken: alice.refreshToken, user: alice.user });
    await page.addInitScript(`localStorage.setItem('ka.session', ${JSON.stringify(session)})`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('creates a key, shows its secret once with a copy button, and revokes it', async () => {
    await page.goto(`${app.url}/api-keys`);
    await byTestId('api-keys-empty').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await byTestId('api-key-name').fill('CI pipeline');
    await byTestId('api-key-credits').fill('0.5');
    await byTestId('api-key-rate').fill('30');
    await page.getByLabel('Plant manuals').check();
    await byTestId('api-key-create').click();
    const secret = (await byTestId('api-key-secret-value').innerText()).trim();
    expect(secret).toMatch(/^ka_live_[\w-]{43}$/);
    await byTestId('api-key-copy').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await page.screenshot({ path: path.join(ARTIFACTS, 'api-keys-new-secret.png'), fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Listed by its prefix only; the secret is gone once dismissed.
    await byTestId('api-key-secret-done').click();
    const row = byTestId('api-key-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('api-key-prefix').innerText()).toBe(`${secret.slice(0, 12)}…`);
    const text = await row.innerText();
    expect(text).toContain('CI pipeline');
    expect(text).toContain('30 requests a minute');
    expect(text).toContain('Only: Plant manuals');
    expect(await page.content()).not.toContain(secret);
    await page.screenshot({ path: path.join(ARTIFACTS, 'api-keys-list.png'), fullPage: true });

    const client = openAiClient(app.url, secret);
    expect((await client.models.list()).data.map((m) => m.id)).toEqual([`kb:${kb}`]);

    await row.getByTestId('api-key-revoke').click();
    await row.getByTestId('api-key-revoke-confirm').click();
    await expect.poll(() => row.getAttribute('data-revoked')).toBe('true');
    await expect(client.models.list()).rejects.toMatchObject({ status: 401 });
  });

  it('creates a key of a workspace the user owns, listed as the workspace’s, reaching only its knowledge bases', async () => {
    await page.goto(`${app.url}/api-keys`);
    const scope = byTestId('api-key-scope');
    await scope.waitFor();
    const offered = await scope.locator('option').allInnerTexts();
    expect(offered.map((text) => text.trim())).toEqual(['Personal', 'Plant team']);
    await scope.selectOption({ label: 'Plant team' });
    await byTestId('api-keys-empty').waitFor();
    await byTestId('api-key-scope-hint').waitFor();
    // Only the workspace's knowledge bases may be ticked.
    await expect.poll(() => byTestId('api-key-kb').count()).toBe(2);
    expect(await page.getByRole('heading', { name: 'New key for Plant team' }).count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await byTestId('api-key-name').fill('Team bot');
    await page.getByLabel('Team handbook').check();
    await byTestId('api-key-create').click();
    const secret = (await byTestId('api-key-secret-value').innerText()).trim();
    await byTestId('api-key-secret-done').click();
    const row = byTestId('api-key-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('api-key-belongs-to').innerText()).toBe('Plant team');
    expect(await row.innerText()).toContain('Only: Team handbook');
    await page.screenshot({ path: path.join(ARTIFACTS, 'api-keys-workspace.png'), fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect((await openAiClient(app.url, secret).models.list()).data.map((m) => m.id)).toEqual([`kb:${teamKb}`]);

    // Back to the personal keys: the workspace's key is not among them.
    await scope.selectOption({ label: 'Personal' });
    await expect.poll(async () => (await row.allInnerTexts()).join('|')).toContain('CI pipeline');
    expect(await row.count()).toBe(1);
    expect(await row.getByTestId('api-key-belongs-to').innerText()).toBe('Personal');
  });
});
