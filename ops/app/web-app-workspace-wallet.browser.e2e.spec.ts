/**
 * A workspace's wallet in a real browser, two people at once (one browser context each, signed in from the start),
 * against the embedded default (extractive answers, PRICES set): the admin deposits to olive over HTTP; olive owns a
 * workspace with max as a viewer and a knowledge base in it (made over HTTP: the workspaces spec covers those pages).
 * Max is told who pays and sees no wallet; olive is told that askers pay until she funds it, funds it from the page
 * and sees its balance; max asks the knowledge base from the chat page; olive's workspace ledger then has his
 * question's lines saying that max asked; funding more than she has is refused in words, in English and in Chinese;
 * her own ledger reads the transfer in words. axe on the workspace page with the wallet, before and after funding;
 * screenshots in test-artifacts/web-app.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPOSIT, ok } from '../../query-side/resolvers/chat.testing.ts';
import { register, type Session } from '../../query-side/resolvers/identity.testing.ts';
import { seriousAccessibilityViolations } from '../testing/axe.ts';
import { openTestBrowser, type TestBrowser } from '../testing/browser.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';

const ARTIFACTS = path.resolve('test-artifacts/web-app');
const PRICE = { promptPer1k: 1000, completionPer1k: 3000 };
const CREATE_WORKSPACE = `mutation($name: String!) { createWorkspace(name: $name) { id } }`;
const ADD_MEMBER = `mutation($workspaceId: ID!, $email: String!, $role: MemberRole!) {
  addMember(workspaceId: $workspaceId, email: $email, role: $role) { id } }`;
const CREATE_KB = `mutation($name: String!, $workspaceId: ID) { createKnowledgeBase(name: $name, workspaceId: $workspaceId) { id } }`;

describe('a workspace wallet in a real browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let maxContext: BrowserContext;
  /** olive's page (the browser's first), max's in a context of his own. */
  let olive: Page;
  let max: Page;
  const maxErrors: string[] = [];
  let oliveSession: Session;
  let maxSession: Session;
  let workspaceUrl: string;

  const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const expectAccessible = async (page: Page, name: string) =>
    expect(await seriousAccessibilityViolations(page), `axe on ${name}`).toEqual([]);
  const signedIn = (session: Session) =>
    `localStorage.setItem('ka.session', ${JSON.stringify(JSON.stringify({ accessToken: session.accessToken, refreshToken: session.refreshToken, user: session.user }))})`;
  const fundForm = () => byTestId(olive, 'workspace-fund-form');
  const fund = async (credits: string) => {
    await byTestId(olive, 'workspace-fund-amount').fill(credits);
    await byTestId(olive, 'workspace-fund-submit').click();
  };

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    app = await startTestApp({ env: { SIGNUP_GRANT: '0', PRICES: JSON.stringify({ 'extractive-local': PRICE }) } });
    const admin = await register(app, 'admin@example.com');
    oliveSession = await register(app, 'olive@example.com', 'Olive');
    maxSession = await register(app, 'max@example.com', 'Max');
    await ok(app, admin.accessToken, DEPOSIT, { userId: oliveSession.user.id, amount: 5_000_000, reference: 'olive-funds' });
    const workspaceId = (await ok<{ createWorkspace: { id: string } }>(app, oliveSession.accessToken, CREATE_WORKSPACE, { name: 'Plant team' }))
      .createWorkspace.id;
    await ok(app, oliveSession.accessToken, ADD_MEMBER, { workspaceId, email: 'max@example.com', role: 'VIEWER' });
    await ok(app, oliveSession.accessToken, CREATE_KB, { name: 'Boiler manuals', workspaceId });
    workspaceUrl = `${app.url}/workspaces/${workspaceId}`;

    browser = await openTestBrowser(app.url);
    olive = browser.page;
    await olive.setViewportSize({ width: 1280, height: 900 });
    await olive.addInitScript(signedIn(oliveSession));
    maxContext = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    max = await maxContext.newPage();
    max.on('console', (message) => void (message.type() === 'error' && maxErrors.push(message.text())));
    max.on('pageerror', (error) => void maxErrors.push(String(error)));
    await max.addInitScript(signedIn(maxSession));
  }, 240_000);
  afterAll(async () => {
    await maxContext?.close();
    await browser?.close();
    await app?.close();
  });

  it('a viewer is told who pays and sees no wallet', async () => {
    await max.goto(workspaceUrl);
    await expect.poll(() => byTestId(max, 'workspace-my-role').innerText()).toBe('Your role: Viewer');
    expect(await byTestId(max, 'workspace-who-pays').innerText()).toBe(
      'Questions to this workspace’s knowledge bases are paid by the workspace if its owners funded it, else by the asker.',
    );
    expect(await byTestId(max, 'workspace-wallet').count()).toBe(0);
    expect(await byTestId(max, 'workspace-fund-form').count()).toBe(0);
  });

  it('the owner is told askers pay until she funds the workspace, funds it, and sees its balance', async () => {
    await olive.goto(workspaceUrl);
    await byTestId(olive, 'workspace-wallet-unfunded').waitFor();
    expect(await byTestId(olive, 'workspace-wallet-unfunded').innerText()).toContain('paid by each asker until you fund the workspace');
    expect(await byTestId(olive, 'workspace-who-pays').count()).toBe(0);
    expect(await byTestId(olive, 'workspace-ledger').count()).toBe(0);
    await expect.poll(() => byTestId(olive, 'workspace-fund-own').innerText()).toBe('Your wallet: 5.00 credits available.');
    await expectAccessible(olive, 'a workspace before its first funding');

    await fund('2');
    await expect.poll(() => byTestId(olive, 'workspace-fund-done').innerText()).toBe(
      'Moved 2.00 credits into the workspace. Its balance is now 2.00 credits.',
    );
    const figures = byTestId(olive, 'workspace-wallet-figures');
    await expect.poll(() => figures.getByTestId('balance').innerText()).toBe('2.00');
    expect(await figures.getByTestId('available').innerText()).toBe('2.00');
    expect(await figures.getByTestId('reserved').innerText()).toBe('0.00');
    await expect.poll(() => byTestId(olive, 'workspace-fund-own').innerText()).toBe('Your wallet: 3.00 credits available.');
    const funding = byTestId(olive, 'workspace-ledger').locator('[data-testid="ledger-row"][data-kind="deposit"]');
    await expect.poll(() => funding.innerText()).toContain('olive@example.com funded the workspace with 2.00 credits from their wallet (reference ui-');
    expect(await funding.innerText()).toContain('Funding');
  });

  it('a member asks the workspace knowledge base, and the owner\'s workspace ledger says he asked', async () => {
    await max.goto(`${app.url}/chat`);
    await expect.poll(() => byTestId(max, 'kb-select').locator('option:checked').innerText()).toBe('Boiler manuals');
    await byTestId(max, 'question').fill('How often is the boiler serviced?');
    await byTestId(max, 'question').press('Enter');
    const turn = byTestId(max, 'turn').first();
    await expect.poll(() => turn.getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');

    // No live updates reach a workspace's wallet: the owner refreshes until the charge is in.
    const ledger = byTestId(olive, 'workspace-ledger');
    const charge = ledger.locator('[data-testid="ledger-row"][data-kind="capture"]');
    await expect
      .poll(async () => {
        await byTestId(olive, 'workspace-wallet-refresh').click();
        return charge.count();
      }, { timeout: 30_000, interval: 500 })
      .toBe(1);
    expect(await charge.getByTestId('ledger-asked-by').innerText()).toBe('Asked by max@example.com.');
    expect(await charge.getByTestId('ledger-asked-by').getAttribute('data-asked-by')).toBe(maxSession.user.id);
    expect(await ledger.locator('[data-testid="ledger-row"][data-kind="reserve"] [data-testid="ledger-asked-by"]').innerText()).toBe(
      'Asked by max@example.com.',
    );
    // Newest first: the charge above the hold above the funding.
    expect(await ledger.getByTestId('ledger-row').evaluateAll((rows) => rows.map((row) => (row as unknown as { dataset: { kind: string } }).dataset.kind))).toEqual([
      'capture',
      'reserve',
      'deposit',
    ]);
    const balance = await byTestId(olive, 'workspace-wallet-figures').getByTestId('balance').innerText();
    expect(Number(balance)).toBeLessThan(2);
    expect(Number(balance)).toBeGreaterThan(0);
    await expectAccessible(olive, 'a workspace with its wallet and ledger');
    await shot(olive, 'workspace-wallet');
  });

  it('funding more than the owner has is refused in words, in English and in Chinese', async () => {
    await fund('100');
    const refusal = fundForm().locator('[role="alert"]');
    await expect.poll(() => refusal.innerText()).toBe('Your wallet does not have 100.00 credits available, only 3.00: nothing was moved.');
    expect(await refusal.getAttribute('data-code')).toBe('INSUFFICIENT_FUNDS');
    expect(await byTestId(olive, 'workspace-fund-amount').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(olive, 'a workspace with a refused funding');

    await byTestId(olive, 'language').selectOption('zh');
    await expect.poll(() => refusal.innerText()).toBe('您的钱包可用额度不足 100.00，仅有 3.00：未转出任何额度。');
    await byTestId(olive, 'workspace-fund-submit').click();
    await expect.poll(() => refusal.innerText()).toBe('您的钱包可用额度不足 100.00，仅有 3.00：未转出任何额度。');
    await byTestId(olive, 'language').selectOption('en');
    await expect.poll(() => byTestId(olive, 'workspace-fund-own').innerText()).toBe('Your wallet: 3.00 credits available.');
  });

  it('the owner\'s own ledger reads the transfer in words', async () => {
    await olive.goto(`${app.url}/wallet`);
    const transfer = olive.locator('[data-testid="ledger-row"][data-kind="transfer"]');
    await transfer.waitFor();
    const text = await transfer.innerText();
    expect(text).toContain('Funded workspace');
    expect(text).toMatch(/Moved 2\.00 credits into a workspace’s wallet \(reference ui-[0-9a-f-]+\)\./);
    expect(text).toContain('−2.00');
    expect(text).toContain('3.00');
    await byTestId(olive, 'language').selectOption('zh');
    await expect.poll(() => transfer.innerText()).toContain('为工作区充值');
    await byTestId(olive, 'language').selectOption('en');
  });

  it('logged no console error', () => {
    expect(browser.consoleErrors).toEqual([]);
    expect(maxErrors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
