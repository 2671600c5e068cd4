/**
 * The session in a real browser against a server whose access tokens live 3 seconds: the app refreshes them
 * before they expire (half-way through so short a life), so a page left open keeps working, with no expired message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestBrowser, type TestBrowser } from '../testing/browser.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';

declare const localStorage: { getItem(key: string): string | null };

describe('a signed-in page left open', () => {
  let app: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => {
    app = await startTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '3' } });
    browser = await openTestBrowser(app.url);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('refreshes its access token before it expires and keeps working', async () => {
    const { page } = browser;
    const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);
    await page.goto(`${app.url}/sign-in`);
    await byTestId('switch-mode').click();
    await byTestId('email').fill('patient@example.com');
    await byTestId('password').fill('correct horse battery staple');
    await byTestId('submit').click();
    await page.waitForURL((url) => url.pathname.startsWith('/chat'));
    const tokenNow = () => page.evaluate(() => JSON.parse(localStorage.getItem('ka.session') ?? '{}').accessToken as string | undefined);
    const seen = new Set([await tokenNow()]);
    const started = Date.now();
    while (Date.now() - started < 8_000) {
      seen.add(await tokenNow());
      await page.waitForTimeout(200);
    }
    // Three seconds a token, refreshed half-way: at least three new ones in eight seconds, none missed.
    expect(seen.size).toBeGreaterThanOrEqual(4);
    expect(seen.has(undefined)).toBe(false);
    await page.locator('nav.app-nav a[href="/knowledge-bases"]').click();
    await byTestId('kb-name').fill('Still signed in');
    await byTestId('kb-create').click();
    await expect.poll(() => byTestId('kb-link').filter({ hasText: 'Still signed in' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await byTestId('expired').count()).toBe(0);
    expect(browser.consoleErrors).toEqual([]);
  });
});
