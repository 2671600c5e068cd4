/**
 * A real browser for tests: Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium, installed by the README's
 * test line where it is missing) driven by playwright-core, with a page that records what a person would notice:
 * console errors, uncaught page errors, and requests to anywhere but the app under test.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface TestBrowser {
  browser: Browser;
  page: Page;
  consoleErrors: string[];
  /** Requests to another origin than `origin` (data: URIs aside). */
  foreignRequests: string[];
  close(): Promise<void>;
}

export async function openTestBrowser(origin: string): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium, as the README's test line does) or set CHROMIUM_PATH`,
    );
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
  page.on('pageerror', (error) => void consoleErrors.push(String(error)));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  return { browser, page, consoleErrors, foreignRequests, close: () => browser.close() };
}
