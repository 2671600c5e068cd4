/**
 * Curating what retrieval sees, in a real browser as the knowledge base's owner: a document uploaded on its page,
 * its passages opened from its row, one edited in place (the page's search finds the new words, not the old), one
 * taken out of search (gone from the search) and put back, and a question-and-answer pair added that is listed with
 * the documents, already indexed and found by search, when the form says it is added. Focus and names for a keyboard and screen-reader user are checked on the
 * way, axe with the passages open, and the error words in Chinese. The browser starts signed in.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeBase } from '../../query-side/resolvers/chat.testing.ts';
import { register, type Session } from '../../query-side/resolvers/identity.testing.ts';
import { seriousAccessibilityViolations } from '../testing/axe.ts';
import { openTestBrowser, type TestBrowser } from '../testing/browser.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';

// Functions passed to page.evaluate run in the browser; the suite compiles without the DOM library.
declare const document: { activeElement: { getAttribute(name: string): string | null; tagName: string } | null };

const ARTIFACTS = path.resolve('test-artifacts/web-app');

const MANUAL = `# Boiler care

The boiler must be serviced every twelve months by a certified technician.

# Filters

Replace the air filter when the warning light on the front panel turns orange.

# Valves

The mixing valve sits behind the left access panel of the cabinet.
${Array.from({ length: 20 }, (_, i) => `\n# Log ${i + 1}\n\nEntry ${i + 1} of the service log.\n`).join('')}`;
/** A chunk never crosses a top-level heading: one per section. */
const SECTIONS = 23;

describe('curating a knowledge base in a real browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let owner: Session;
  let kb: string;
  const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);
  const row = (name: string) => page.locator(`[data-testid="document-row"][data-name="${name}"]`);
  const chunkWith = (text: string) => byTestId('chunk').filter({ has: page.locator('[data-testid="chunk-text"]', { hasText: text }) });
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const focusedTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);

  /** The texts of the hits the page's search box shows for `query`, once its answer is on the page. */
  async function searchFor(query: string): Promise<string[]> {
    await byTestId('search-input').fill(query);
    const isSearch = (url: string, body: string | null) => `${decodeURIComponent(url)}${body ?? ''}`.includes('KbSearch(');
    await Promise.all([
      page.waitForResponse((response) => isSearch(response.url(), response.request().postData()), { timeout: 30_000 }),
      byTestId('search-submit').click(),
    ]);
    // The button is disabled while the search runs and enabled in the same update that shows its hits.
    await expect.poll(() => byTestId('search-submit').isDisabled(), { timeout: 15_000 }).toBe(false);
    return byTestId('search-hit').locator('.text').allInnerTexts();
  }
  const anyContains = (texts: string[], words: string) => texts.some((text) => text.includes(words));

  beforeAll(async () => {
    app = await startTestApp({ env: { SIGNUP_GRANT: '0' } });
    owner = await register(app, 'curator@example.com');
    kb = await createKnowledgeBase(app, owner.accessToken, 'Plant room');
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await openTestBrowser(app.url);
    page = browser.page;
    await page.setViewportSize({ width: 1280, height: 900 });
    const session = JSON.stringify({ accessToken: owner.accessToken, refreshToken: owner.refreshToken, user: owner.user });
    await page.addInitScript(`localStorage.setItem('ka.session', ${JSON.stringify(session)})`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('uploads a document and opens its passages in order from its row, focus on the panel', async () => {
    await page.goto(`${app.url}/knowledge-bases/${kb}`);
    await byTestId('file-input').setInputFiles({ name: 'manual.md', mimeType: 'text/markdown', buffer: Buffer.from(MANUAL) });
    await expect.poll(() => row('manual.md').getAttribute('data-status'), { timeout: 90_000 }).toBe('indexed');

    const open = row('manual.md').getByTestId('open-chunks');
    expect(await open.getAttribute('aria-label')).toBe('Passages of manual.md');
    expect(await open.getAttribute('aria-expanded')).toBe('false');
    await open.click();
    // The first page, then "Show more" for the rest, with focus on the first passage it brought.
    await expect.poll(() => byTestId('chunk').count(), { timeout: 15_000 }).toBe(20);
    expect(await open.getAttribute('aria-expanded')).toBe('true');
    const panelId = await open.getAttribute('aria-controls');
    expect(await byTestId('chunks-panel').getAttribute('id')).toBe(panelId);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H3');
    await byTestId('chunks-more').click();
    await expect.poll(() => byTestId('chunk').count(), { timeout: 15_000 }).toBe(SECTIONS);
    expect(await byTestId('chunks-more').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('LI');
    expect(await page.locator('li:focus [data-testid="chunk"]').getAttribute('data-index')).toBe('20');
    const indexes = await byTestId('chunk').evaluateAll((chunks) => chunks.map((chunk) => Number((chunk as unknown as { dataset: { index: string } }).dataset.index)));
    expect(indexes).toEqual(indexes.map((_, i) => i));
    const valves = chunkWith('mixing valve');
    expect(await valves.innerText()).toContain('Valves');
    expect(await valves.innerText()).toMatch(/\d+ tokens?/);
    expect(await seriousAccessibilityViolations(page), 'axe with the passages open').toEqual([]);
  });

  it('edits a passage in place, and the search finds the new words instead of the old', async () => {
    expect(anyContains(await searchFor('mixing valve access panel'), 'left access panel')).toBe(true);
    const valves = chunkWith('mixing valve');
    const index = await valves.getAttribute('data-index');
    const passage = page.locator(`[data-testid="chunk"][data-index="${index}"]`);
    await valves.getByTestId('chunk-edit').click();
    expect(await focusedTestId()).toBe('chunk-text-input');
    // Escape leaves the text as it was and gives focus back to Edit.
    await passage.getByTestId('chunk-text-input').fill('scrap this');
    await page.keyboard.press('Escape');
    expect(await focusedTestId()).toBe('chunk-edit');
    expect(await passage.getByTestId('chunk-text').innerText()).toContain('left access panel');

    await passage.getByTestId('chunk-edit').click();
    const newText = 'The mixing valve sits behind the copper grille under the stairs.';
    await passage.getByTestId('chunk-text-input').fill(newText);
    expect(await passage.getByTestId('chunk-count').innerText()).toBe(`${newText.length} of 8,000 characters`);
    await passage.getByTestId('chunk-save').click();
    await expect.poll(() => passage.getByTestId('chunk-text').innerText(), { timeout: 30_000 }).toBe(newText);
    expect(await focusedTestId()).toBe('chunk-edit');

    const hits = await searchFor('copper grille stairs');
    expect(anyContains(hits, 'copper grille')).toBe(true);
    expect(anyContains(await searchFor('mixing valve access panel'), 'left access panel')).toBe(false);
  });

  it('takes a passage out of search, marked as such, and puts it back', async () => {
    expect(anyContains(await searchFor('air filter warning light'), 'air filter')).toBe(true);
    const filters = chunkWith('air filter');
    const toggle = filters.getByTestId('chunk-toggle');
    const index = await filters.getAttribute('data-index');
    expect(await toggle.getAttribute('aria-label')).toBe(`Take out of search: passage ${Number(index) + 1}`);
    await toggle.click();
    await expect.poll(() => filters.getAttribute('data-enabled'), { timeout: 30_000 }).toBe('false');
    expect(await filters.getByTestId('chunk-disabled').innerText()).toBe('Out of search');
    expect(await toggle.getAttribute('aria-label')).toBe(`Put back in search: passage ${Number(index) + 1}`);
    expect(anyContains(await searchFor('air filter warning light'), 'air filter')).toBe(false);
    await shot('kb-passages');

    await toggle.click();
    await expect.poll(() => filters.getAttribute('data-enabled'), { timeout: 30_000 }).toBe('true');
    expect(await filters.getByTestId('chunk-disabled').count()).toBe(0);
    expect(anyContains(await searchFor('air filter warning light'), 'air filter')).toBe(true);
  });

  it('says in Chinese what is wrong with an empty passage, and closes the passages back to the row', async () => {
    await byTestId('language').selectOption('zh');
    const first = byTestId('chunk').first();
    await first.getByTestId('chunk-edit').click();
    await first.getByTestId('chunk-text-input').fill('   ');
    await first.getByTestId('chunk-save').click();
    await expect.poll(() => first.locator('[role="alert"]').innerText()).toBe('段落不能为空。');
    await shot('kb-passage-edit-zh');
    expect(await focusedTestId()).toBe('chunk-text-input');
    await first.getByTestId('chunk-cancel').click();
    await byTestId('language').selectOption('en');

    await byTestId('chunks-close').click();
    expect(await byTestId('chunks-panel').count()).toBe(0);
    expect(await focusedTestId()).toBe('open-chunks');
    expect(await row('manual.md').getByTestId('open-chunks').getAttribute('aria-expanded')).toBe('false');
  });

  it('adds a question and answer that is listed, indexed and searchable once the form says it is added', async () => {
    await byTestId('qa-submit').click();
    expect(await byTestId('qa-form').locator('[role="alert"]').innerText()).toBe('Write the question.');
    expect(await focusedTestId()).toBe('qa-question');

    await byTestId('qa-question').fill('How often is the boiler serviced?');
    await byTestId('qa-answer').fill('Every twelve months, by a certified technician with a logbook stamp.');
    await byTestId('qa-submit').click();
    const name = 'Q&A: How often is the boiler serviced?.md';
    await expect.poll(() => byTestId('qa-added').innerText(), { timeout: 45_000 }).toContain(name);
    expect(await byTestId('qa-added').innerText()).toContain('search finds it now');
    expect(await byTestId('qa-question').inputValue()).toBe('');
    // The server answered once the pair was indexed: listed as such straight away.
    expect(await row(name).count()).toBe(1);
    expect(await row(name).getAttribute('data-status')).toBe('indexed');
    expect(anyContains(await searchFor('logbook stamp'), 'logbook stamp')).toBe(true);
  });

  it('logged no console error', () => {
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
