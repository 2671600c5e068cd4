/**
 * Workspaces in a real browser, two people at once (one browser context each, signed in from the start): alice
 * creates a workspace, is told that no one has an unknown email, adds bob as a viewer by email, creates a knowledge
 * base in the workspace and uploads a document; bob sees the workspace and the knowledge base with his role, no
 * upload, Q&A, re-index, delete or passages, and still searches it and asks it; alice makes bob an editor and bob
 * (after a reload) has the upload; alice removes bob and bob (after a reload) no longer reaches it; added again, bob
 * leaves by himself. The last owner can neither leave nor step down: the refusal is said. axe on the workspaces
 * pages; screenshots in test-artifacts/web-app. An admin registers first, so alice and bob are plain members (an
 * admin is OWNER everywhere).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { startAppWithChatStub } from '../../query-side/resolvers/chat.testing.ts';
import { register, type Session } from '../../query-side/resolvers/identity.testing.ts';
import { seriousAccessibilityViolations } from '../testing/axe.ts';
import { openTestBrowser, type TestBrowser } from '../testing/browser.ts';
import type { TestApp } from '../testing/server.ts';

const ARTIFACTS = path.resolve('test-artifacts/web-app');
const MODEL = 'stub-chat';
const MANUAL = `# Boiler care

The boiler must be serviced every twelve months by a certified technician.

# Filters

Replace the air filter when the warning light on the front panel turns orange.
`;

describe('workspaces in a real browser', () => {
  let stub: OpenAiStubServer;
  let app: TestApp;
  let browser: TestBrowser;
  let bobContext: BrowserContext;
  /** alice's page (the browser's first), bob's in a context of his own. */
  let alice: Page;
  let bob: Page;
  const bobErrors: string[] = [];
  let aliceSession: Session;
  let bobSession: Session;
  let workspaceUrl: string;
  let kbUrl: string;

  const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const expectAccessible = async (page: Page, name: string) =>
    expect(await seriousAccessibilityViolations(page), `axe on ${name}`).toEqual([]);
  const memberRow = (page: Page, email: string) => page.locator(`[data-testid="member-row"][data-email="${email}"]`);
  const signedIn = (session: Session) =>
    `localStorage.setItem('ka.session', ${JSON.stringify(JSON.stringify({ accessToken: session.accessToken, refreshToken: session.refreshToken, user: session.user }))})`;

  /** Opens the knowledge base page afresh and waits until it knows the user's role (or that it is out of reach). */
  async function openKnowledgeBase(page: Page): Promise<string> {
    await page.goto(kbUrl);
    const role = page.locator('.sections[data-role], [data-testid="kb-unavailable"]');
    await role.first().waitFor({ timeout: 15_000 });
    return (await byTestId(page, 'kb-unavailable').count()) ? 'unavailable' : ((await role.first().getAttribute('data-role')) ?? '');
  }

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    stub = await startOpenAiStubServer({ fallback: { kind: 'stream', tokens: ['Every ', 'twelve ', 'months ', '[1].'] } });
    // A signup grant, so bob can ask; the stub's price is low.
    app = await startAppWithChatStub(stub.baseURL, MODEL, { promptPer1k: 1, completionPer1k: 1 }, { SIGNUP_GRANT: '1000000' });
    await register(app, 'admin@example.com');
    aliceSession = await register(app, 'alice@example.com', 'Alice');
    bobSession = await register(app, 'bob@example.com', 'Bob');
    browser = await openTestBrowser(app.url);
    alice = browser.page;
    await alice.setViewportSize({ width: 1280, height: 900 });
    await alice.addInitScript(signedIn(aliceSession));
    bobContext = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    bob = await bobContext.newPage();
    bob.on('console', (message) => void (message.type() === 'error' && bobErrors.push(message.text())));
    bob.on('pageerror', (error) => void bobErrors.push(String(error)));
    await bob.addInitScript(signedIn(bobSession));
  }, 120_000);
  afterAll(async () => {
    await bobContext?.close();
    await browser?.close();
    await app?.close();
    await stub?.close();
  });

  it('alice creates a workspace, is told an unknown email has no account, and adds bob as a viewer', async () => {
    await alice.goto(`${app.url}/workspaces`);
    await byTestId(alice, 'workspaces-empty').waitFor();
    expect(await alice.locator('nav a[aria-current="page"]').innerText()).toBe('Workspaces');
    await expectAccessible(alice, 'the workspaces page, empty');

    await byTestId(alice, 'workspace-create').click();
    expect(await alice.locator('form [role="alert"]').innerText()).toBe('Give the workspace a name.');
    await byTestId(alice, 'workspace-name').fill('Plant team');
    await byTestId(alice, 'workspace-create').click();
    await byTestId(alice, 'workspace-created').waitFor();
    const row = alice.locator('[data-testid="workspace-row"][data-name="Plant team"]');
    expect(await row.getByTestId('workspace-role').innerText()).toBe('Owner');
    await row.getByTestId('workspace-link').click();
    await alice.waitForURL((url) => url.pathname.startsWith('/workspaces/'));
    workspaceUrl = alice.url();
    await expect.poll(() => byTestId(alice, 'workspace-title').innerText()).toBe('Plant team');
    expect(await byTestId(alice, 'workspace-my-role').innerText()).toBe('Your role: Owner');
    await memberRow(alice, 'alice@example.com').waitFor();

    await byTestId(alice, 'member-email').fill('nobody@example.com');
    await byTestId(alice, 'member-add').click();
    const refusal = byTestId(alice, 'member-add-form').locator('[role="alert"]');
    await expect.poll(() => refusal.innerText()).toBe('No one has an account with this email address: they need to register first.');

    await byTestId(alice, 'member-email').fill('bob@example.com');
    expect(await byTestId(alice, 'member-role-new').inputValue()).toBe('VIEWER');
    await byTestId(alice, 'member-add').click();
    await expect.poll(() => byTestId(alice, 'member-added').innerText()).toBe('bob@example.com is now Viewer.');
    expect(await refusal.count()).toBe(0);
    await expect.poll(() => memberRow(alice, 'bob@example.com').getAttribute('data-role')).toBe('VIEWER');
    // Owners first.
    expect(await byTestId(alice, 'member-row').evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { email: string } }).dataset.email))).toEqual([
      'alice@example.com',
      'bob@example.com',
    ]);
    await expectAccessible(alice, 'a workspace, as its owner');
    await shot(alice, 'workspace-owner');
  });

  it('alice creates a knowledge base in the workspace and uploads a document to it', async () => {
    await byTestId(alice, 'workspace-kb-create').click();
    await alice.waitForURL((url) => url.pathname === '/knowledge-bases');
    // Preselected from the workspace's page; "Personal" is the other choice.
    await expect.poll(() => byTestId(alice, 'kb-workspace').locator('option:checked').innerText()).toBe('Plant team');
    expect(await byTestId(alice, 'kb-workspace').locator('option').allInnerTexts()).toEqual(['Personal', 'Plant team']);
    await byTestId(alice, 'kb-name').fill('Boiler manuals');
    await byTestId(alice, 'kb-create').click();
    await byTestId(alice, 'kb-created').waitFor();
    const kbRow = alice.locator('[data-testid="kb-row"]', { hasText: 'Boiler manuals' });
    expect(await kbRow.getByTestId('kb-workspace-name').innerText()).toBe('Plant team');
    expect(await kbRow.getByTestId('kb-role').innerText()).toBe('Owner');
    await expectAccessible(alice, 'the knowledge bases, with workspaces');
    await kbRow.getByTestId('kb-link').click();
    await alice.waitForURL((url) => url.pathname.startsWith('/knowledge-bases/'));
    kbUrl = alice.url();

    await byTestId(alice, 'file-input').setInputFiles({ name: 'boiler.md', mimeType: 'text/markdown', buffer: Buffer.from(MANUAL) });
    const document = alice.locator('[data-testid="document-row"][data-name="boiler.md"]');
    await expect.poll(() => document.getAttribute('data-status'), { timeout: 90_000, interval: 250 }).toBe('indexed');
  });

  it('bob sees the workspace and its knowledge base as a viewer: no controls that change documents, but search and ask', async () => {
    await bob.goto(`${app.url}/workspaces`);
    const row = bob.locator('[data-testid="workspace-row"][data-name="Plant team"]');
    await row.waitFor();
    expect(await row.getByTestId('workspace-role').innerText()).toBe('Viewer');
    await row.getByTestId('workspace-link').click();
    await memberRow(bob, 'bob@example.com').waitFor();
    expect(await byTestId(bob, 'workspace-my-role').innerText()).toBe('Your role: Viewer');
    // A viewer manages nothing: roles as text, no add, no remove; he may leave.
    expect(await byTestId(bob, 'member-role-select').count()).toBe(0);
    expect(await byTestId(bob, 'member-add-form').count()).toBe(0);
    expect(await byTestId(bob, 'member-remove').count()).toBe(0);
    expect(await byTestId(bob, 'workspace-kb-create').count()).toBe(0);
    expect(await byTestId(bob, 'leave').count()).toBe(1);
    expect(await bob.locator('[data-testid="kb-link"]').allInnerTexts()).toEqual(['Boiler manuals']);
    await expectAccessible(bob, 'a workspace, as a viewer');
    await shot(bob, 'workspace-viewer');

    await bob.goto(`${app.url}/knowledge-bases`);
    const kbRow = bob.locator('[data-testid="kb-row"]', { hasText: 'Boiler manuals' });
    await kbRow.waitFor();
    expect(await kbRow.getByTestId('kb-role').innerText()).toBe('Viewer');
    expect(await kbRow.getByTestId('kb-workspace-name').innerText()).toBe('Plant team');
    // He may create only personal knowledge bases.
    expect(await byTestId(bob, 'kb-workspace').locator('option').allInnerTexts()).toEqual(['Personal']);

    expect(await openKnowledgeBase(bob)).toBe('VIEWER');
    const document = bob.locator('[data-testid="document-row"][data-name="boiler.md"]');
    await expect.poll(() => document.getAttribute('data-status')).toBe('indexed');
    await byTestId(bob, 'kb-read-only').waitFor();
    for (const control of ['dropzone', 'file-input', 'qa-form', 'reindex', 'delete-document', 'open-chunks']) {
      expect(await byTestId(bob, control).count(), control).toBe(0);
    }
    await byTestId(bob, 'search-input').fill('boiler serviced');
    await byTestId(bob, 'search-submit').click();
    await expect.poll(() => byTestId(bob, 'search-hit').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await byTestId(bob, 'search-hit').first().innerText()).toContain('twelve months');
    await expectAccessible(bob, 'a knowledge base, as a viewer');
    await shot(bob, 'knowledge-base-viewer');

    await bob.goto(`${app.url}/chat`);
    await expect.poll(() => byTestId(bob, 'kb-select').locator('option:checked').innerText()).toBe('Boiler manuals');
    await byTestId(bob, 'question').fill('How often is the boiler serviced?');
    await byTestId(bob, 'question').press('Enter');
    const turn = byTestId(bob, 'turn').first();
    await expect.poll(() => turn.getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');
    expect(await turn.getByTestId('turn-answer').innerText()).toContain('Every twelve months');
  });

  it('alice makes bob an editor, and bob has the upload once he reloads', async () => {
    await alice.goto(workspaceUrl);
    const select = memberRow(alice, 'bob@example.com').getByTestId('member-role-select');
    expect(await select.getAttribute('aria-label')).toBe('Role of Bob');
    await select.selectOption('EDITOR');
    await expect.poll(() => memberRow(alice, 'bob@example.com').getAttribute('data-role')).toBe('EDITOR');
    expect(await memberRow(alice, 'bob@example.com').getByTestId('member-status').innerText()).toBe('Bob is now Editor.');

    expect(await openKnowledgeBase(bob)).toBe('EDITOR');
    expect(await byTestId(bob, 'file-input').count()).toBe(1);
    expect(await byTestId(bob, 'kb-read-only').count()).toBe(0);
    const document = bob.locator('[data-testid="document-row"][data-name="boiler.md"]');
    await document.getByTestId('delete-document').waitFor();
    expect(await document.getByTestId('open-chunks').count()).toBe(1);
  });

  it('alice removes bob (after a question), and bob no longer reaches the workspace or its knowledge base', async () => {
    const row = memberRow(alice, 'bob@example.com');
    await row.getByTestId('member-remove').click();
    // Asked first; keeping him puts focus back on Remove.
    await row.getByTestId('member-remove-cancel').click();
    expect(await alice.evaluate('document.activeElement?.dataset?.testid')).toBe('member-remove');
    await row.getByTestId('member-remove').click();
    expect(await row.getByRole('group').innerText()).toContain('Remove Bob from the workspace?');
    await row.getByTestId('member-remove-confirm').click();
    await expect.poll(() => memberRow(alice, 'bob@example.com').count()).toBe(0);

    expect(await openKnowledgeBase(bob)).toBe('unavailable');
    expect(await byTestId(bob, 'file-input').count()).toBe(0);
    await bob.goto(`${app.url}/workspaces`);
    await byTestId(bob, 'workspaces-empty').waitFor();
    await bob.goto(workspaceUrl);
    await byTestId(bob, 'workspace-unavailable').waitFor();
  });

  it('bob, added again, leaves the workspace himself and is back on his empty list', async () => {
    await byTestId(alice, 'member-email').fill('bob@example.com');
    await byTestId(alice, 'member-add').click();
    await expect.poll(() => memberRow(alice, 'bob@example.com').getAttribute('data-role')).toBe('VIEWER');

    await bob.goto(workspaceUrl);
    await byTestId(bob, 'leave').click();
    expect(await byTestId(bob, 'leave-cancel').innerText()).toBe('Stay');
    await byTestId(bob, 'leave-confirm').click();
    await bob.waitForURL((url) => url.pathname === '/workspaces');
    await byTestId(bob, 'workspaces-empty').waitFor();
    await alice.reload();
    await memberRow(alice, 'alice@example.com').waitFor();
    expect(await memberRow(alice, 'bob@example.com').count()).toBe(0);
  });

  it('the last owner can neither leave nor step down: the refusal is said, in English and in Chinese', async () => {
    await alice.goto(workspaceUrl);
    await byTestId(alice, 'leave').click();
    expect(await alice.evaluate('document.activeElement?.dataset?.testid')).toBe('leave-confirm');
    await byTestId(alice, 'leave-confirm').click();
    const refusal = alice.locator('.leave [role="alert"]');
    await expect.poll(() => refusal.innerText()).toBe('A workspace always keeps an owner: make another member owner first.');
    expect(await refusal.getAttribute('data-code')).toBe('CONFLICT');
    expect(alice.url()).toBe(workspaceUrl);

    const own = memberRow(alice, 'alice@example.com');
    await own.getByTestId('member-role-select').selectOption('VIEWER');
    await expect.poll(() => own.locator('[role="alert"]').innerText()).toBe('A workspace always keeps an owner: make another member owner first.');
    // The choice goes back to what the server has.
    expect(await own.getByTestId('member-role-select').inputValue()).toBe('OWNER');
    expect(await own.getAttribute('data-role')).toBe('OWNER');
    await expectAccessible(alice, 'a workspace with a refusal');
    await shot(alice, 'workspace-last-owner');

    await byTestId(alice, 'language').selectOption('zh');
    await byTestId(alice, 'leave').click();
    await byTestId(alice, 'leave-confirm').click();
    await expect.poll(() => refusal.innerText()).toBe('工作区必须保留一位所有者：请先让另一位成员成为所有者。');
    await byTestId(alice, 'language').selectOption('en');
  });

  it('logged no console error', () => {
    expect(browser.consoleErrors).toEqual([]);
    expect(bobErrors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
