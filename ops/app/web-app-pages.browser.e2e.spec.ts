/**
 * The web app's pages in a real browser, beyond a support agent's main path (web-app.browser.e2e.spec.ts): drag
 * and drop of several files with a progress bar each, re-index and delete; Shift+Enter, regenerate and a thumbs
 * down with a comment; the spend chart, older ledger pages and the wallet as of an event; the language switch and
 * dark mode (checked with axe too). The data is made through the API; the browser starts signed in.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { createKnowledgeBase, DEPOSIT, ok, startAppWithChatStub, turnOf } from '../../query-side/resolvers/chat.testing.ts';
import { register, type Session } from '../../query-side/resolvers/identity.testing.ts';
import { seriousAccessibilityViolations } from '../testing/axe.ts';
import { openTestBrowser, type TestBrowser } from '../testing/browser.ts';
import type { TestApp } from '../testing/server.ts';

// Functions passed to page.evaluate run in the browser; the suite compiles without the DOM library.
declare const document: { documentElement: { lang: string; dataset: Record<string, string | undefined> }; body: object };
declare const getComputedStyle: (element: object) => { backgroundColor: string };
declare class DataTransfer {
  items: { add(file: unknown): void };
}
declare class File {
  constructor(parts: string[], name: string, options: { type: string });
}

const MODEL = 'stub-chat';

describe('the web app pages in a real browser', () => {
  let stub: OpenAiStubServer;
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let admin: Session;
  let kb: string;
  const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);

  beforeAll(async () => {
    stub = await startOpenAiStubServer();
    app = await startAppWithChatStub(stub.baseURL, MODEL, { promptPer1k: 1000, completionPer1k: 2000 });
    admin = await register(app, 'admin@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: admin.user.id, amount: 20_000_000, reference: 'funds' });
    kb = await createKnowledgeBase(app, admin.accessToken, 'Plant manuals');
    browser = await openTestBrowser(app.url);
    page = browser.page;
    await page.setViewportSize({ width: 1280, height: 860 });
    const session = JSON.stringify({ accessToken: admin.accessToken, refreshToken: admin.refreshToken, user: admin.user });
    await page.addInitScript(`localStorage.setItem('ka.session', ${JSON.stringify(session)})`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await stub?.close();
  });

  it('takes several files dropped at once, each with its progress, then re-indexes one and deletes another', async () => {
    await page.goto(`${app.url}/knowledge-bases/${kb}`);
    const dataTransfer = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['# Pumps\n\nCentrifugal pumps move water with an impeller.\n'], 'pumps.md', { type: 'text/markdown' }));
      transfer.items.add(new File(['# Valves\n\nA gate valve opens fully or closes fully.\n'], 'valves.md', { type: 'text/markdown' }));
      transfer.items.add(new File(['%PDF-1.7\nthis is not really a PDF'], 'broken.pdf', { type: 'application/pdf' }));
      return transfer;
    });
    await byTestId('dropzone').dispatchEvent('drop', { dataTransfer });
    for (const name of ['pumps.md', 'valves.md']) {
      await expect.poll(() => page.locator(`[data-testid="upload-item"][data-name="${name}"]`).getAttribute('data-state'), { timeout: 15_000 }).toBe('done');
      expect(await page.locator(`[data-testid="upload-progress"][data-name="${name}"]`).count(), `${name} has its progress bar`).toBe(1);
      const row = page.locator(`[data-testid="document-row"][data-name="${name}"]`);
      await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('indexed');
    }
    // A file that cannot be read fails with its reason in words, not a code.
    const broken = page.locator('[data-testid="document-row"][data-name="broken.pdf"]');
    await expect.poll(() => broken.getAttribute('data-status'), { timeout: 60_000 }).toBe('failed');
    expect(await broken.getByTestId('document-error').innerText()).toMatch(/[a-z]{3,} [a-z]{3,}/i);
    const documents = async () =>
      (await ok<{ documents: Array<{ name: string; revision: number; status: string }> }>(app, admin.accessToken, `query($kb: ID!) { documents(knowledgeBaseId: $kb) { name revision status } }`, { kb })).documents;
    const revisionOf = async (name: string) => (await documents()).find((d) => d.name === name)?.revision;
    const before = await revisionOf('pumps.md');
    await page.locator('[data-testid="document-row"][data-name="pumps.md"] [data-testid="reindex"]').click();
    await expect.poll(() => revisionOf('pumps.md'), { timeout: 30_000 }).toBeGreaterThan(before!);
    await expect.poll(() => page.locator('[data-testid="document-row"][data-name="pumps.md"]').getAttribute('data-status'), { timeout: 60_000 }).toBe('indexed');

    await page.locator('[data-testid="document-row"][data-name="valves.md"] [data-testid="delete-document"]').click();
    await byTestId('confirm-delete').click();
    await expect.poll(() => page.locator('[data-testid="document-row"][data-name="valves.md"]').count(), { timeout: 30_000 }).toBe(0);
    expect((await documents()).find((d) => d.name === 'valves.md')?.status ?? 'deleted').toBe('deleted');
  });

  let firstTurnId: string;
  it('writes a new line with Shift+Enter, regenerates an answer (both billed) and takes a thumbs down with a comment', async () => {
    await page.goto(`${app.url}/chat`);
    await byTestId('kb-select').selectOption({ label: 'Plant manuals' });
    await byTestId('question').fill('How do pumps');
    await byTestId('question').press('Shift+Enter');
    await byTestId('question').pressSequentially('move water?');
    expect(await byTestId('question').inputValue()).toBe('How do pumps\nmove water?');
    expect(await byTestId('turn').count()).toBe(0);
    stub.script({ kind: 'stream', tokens: ['Pumps ', 'use ', 'an ', 'impeller [1].'] }, { kind: 'stream', tokens: ['An ', 'impeller ', 'turns [1].'] });
    await byTestId('question').press('Enter');
    await expect.poll(() => byTestId('turn').first().getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
    await byTestId('regenerate').first().click();
    await expect.poll(() => byTestId('turn').count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => byTestId('turn').nth(1).getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
    expect(await byTestId('turn-answer').nth(1).innerText()).toContain('An impeller turns');
    await expect.poll(() => byTestId('turn-cost').count(), { timeout: 10_000 }).toBe(2);

    const first = byTestId('turn').first();
    await first.getByTestId('rate-comment').fill('Too short');
    await first.getByTestId('rate-down').click();
    await expect.poll(() => first.getByTestId('rate-down').getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    const conversationId = new URL(page.url()).pathname.split('/').pop()!;
    const conversation = await ok<{ conversation: { turns: Array<{ id: string }> } }>(app, admin.accessToken, `query($id: ID!) { conversation(id: $id) { turns { id } } }`, { id: conversationId });
    firstTurnId = conversation.conversation.turns[0]!.id;
    expect((await turnOf(app, admin.accessToken, firstTurnId)).feedback).toMatchObject({ rating: 'DOWN', comment: 'Too short' });
    // The owner sees it counted on the knowledge base.
    await page.goto(`${app.url}/knowledge-bases`);
    const row = byTestId('kb-row').filter({ hasText: 'Plant manuals' });
    await expect.poll(() => row.getByTestId('feedback-down').textContent(), { timeout: 10_000 }).toBe('1');
    expect(await row.getByTestId('feedback-up').textContent()).toBe('0');
  });

  it('shows the spend per day, pages back through the ledger, and the wallet as of an event of its audit', async () => {
    for (let i = 0; i < 55; i++) await ok(app, admin.accessToken, DEPOSIT, { userId: admin.user.id, amount: 1_000, reference: `small-${i}` });
    await page.goto(`${app.url}/wallet`);
    await expect.poll(() => byTestId('spend-chart').locator('rect').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const rows = byTestId('ledger-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(50);
    // Newest first: the last small deposit leads.
    expect(await rows.first().innerText()).toContain('small-54');
    await byTestId('ledger-more').click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(55);
    expect(await rows.last().innerText()).toContain('funds');

    await page.goto(`${app.url}/audit?stream=wallet-${admin.user.id}`);
    await expect.poll(() => byTestId('audit-event').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // The wallet right after the first deposit (20 credits, reference "funds"), before any question was paid.
    const firstDeposit = byTestId('audit-event').filter({ hasText: '"funds"' });
    expect(await firstDeposit.count()).toBe(1);
    await firstDeposit.getByTestId('audit-wallet-at').click();
    await expect.poll(() => byTestId('wallet-at').getByTestId('balance').textContent(), { timeout: 10_000 }).toBe('20.00');
    await expect.poll(() => byTestId('wallet-at').getByTestId('reserved').textContent()).toBe('0.00');
  });

  it('switches to Chinese and to dark mode, keeps both after a reload, and stays accessible', async () => {
    await page.goto(`${app.url}/knowledge-bases`);
    await byTestId('language').selectOption('zh');
    await expect.poll(() => page.locator('nav.app-nav').innerText()).toContain('知识库');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await byTestId('theme').selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dark).not.toBe(light);
    await page.reload();
    await expect.poll(() => page.locator('nav.app-nav').innerText()).toContain('知识库');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(dark);
    for (const route of ['/knowledge-bases', `/knowledge-bases/${kb}`, '/chat', '/wallet', '/audit']) {
      await page.goto(`${app.url}${route}`);
      await page.waitForLoadState('networkidle');
      expect(await seriousAccessibilityViolations(page), `axe on ${route} in dark mode, Chinese`).toEqual([]);
    }
  });

  it('logged no console error', () => {
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
