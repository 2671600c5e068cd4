/**
 * GraphiQL in a real browser (Debian's Chromium driven by playwright-core) against the whole app: the page loads
 * with no console error and nothing from another origin, a query runs with the Authorization header from the
 * Headers tab, and a subscription streams a wallet change over graphql-ws. The README's test line installs
 * Chromium where it is missing; CHROMIUM_PATH points elsewhere.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestBrowser, type TestBrowser } from '../../ops/testing/browser.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { register, type Session } from '../resolvers/identity.testing.ts';

/** Replaces the operation editor's text (CodeMirror 5 keeps its instance on the element). */
const setQuery = (page: Page, query: string) =>
  page.evaluate(`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(${JSON.stringify(query)})`);

/** Clicks Run once GraphiQL has taken the new text in (it debounces editor changes). */
async function run(page: Page): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  await page.locator('.graphiql-execute-button').click();
}

const resultText = (page: Page) =>
  page.evaluate(`document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()`) as Promise<string>;

async function untilResult(page: Page, contains: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await resultText(page);
    if (text.includes(contains)) return text;
    if (Date.now() > deadline) throw new Error(`GraphiQL's result never showed ${contains}; it shows: ${text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GraphiQL in Chromium against the whole app', () => {
  let app: TestApp;
  let admin: Session;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    app = await startTestApp({ env: { SIGNUP_GRANT: '0' } });
    admin = await register(app, 'admin@example.com');
    browser = await openTestBrowser(app.url);
    page = browser.page;
    // What a person types into the Headers tab (GraphiQL keeps it in localStorage: shouldPersistHeaders).
    const headers = JSON.stringify({ Authorization: `Bearer ${admin.accessToken}` });
    await page.addInitScript(`localStorage.setItem('graphiql:headers', ${JSON.stringify(headers)})`);
    await page.goto(`${app.url}/graphiql`, { waitUntil: 'networkidle' });
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('runs a query with the Authorization header of the Headers tab', async () => {
    await setQuery(page, '{ me { email role } }');
    await run(page);
    const text = await untilResult(page, 'admin@example.com');
    expect(JSON.parse(text)).toEqual({ data: { me: { email: 'admin@example.com', role: 'admin' } } });
  });

  it('streams a subscription over graphql-ws: a deposit shows up in the result pane', async () => {
    await setQuery(page, 'subscription { walletUpdated { balance available } }');
    await run(page);
    // The subscription is live once the server has it; deposit until the pushed balance arrives.
    const deposit = `mutation($userId: ID!) { deposit(userId: $userId, amount: 777, reference: "browser-test") { balance } }`;
    const deadline = Date.now() + 20_000;
    while (!(await resultText(page)).includes('777') && Date.now() < deadline) {
      const result = await app.gql(deposit, { userId: admin.user.id }, admin.accessToken);
      expect(result.errors).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(JSON.parse(await untilResult(page, '777'))).toEqual({ data: { walletUpdated: { balance: 777, available: 777 } } });
  });

  it('logged no console error and fetched nothing from another origin', () => {
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
