/**
 * The web app in a real browser (Debian's Chromium driven by playwright-core) against the whole server, started
 * here with a chat model that is a real local HTTP server speaking the OpenAI streaming protocol: a support agent's
 * day from registration to the audit trail, in English on a desktop, in Chinese, and on a phone-sized screen.
 * Every page is checked with axe-core (no serious or critical violation); screenshots go to test-artifacts/web-app.
 */
import { mkdir, readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { startAppWithChatStub } from '../../query-side/resolvers/chat.testing.ts';
import { seriousAccessibilityViolations } from '../testing/axe.ts';
import { openTestBrowser, type TestBrowser } from '../testing/browser.ts';
import { DATA_SETS_DIR, FIXTURES_DIR } from '../testing/fixture-files.ts';
import type { TestApp } from '../testing/server.ts';

// Functions passed to page.evaluate run in the browser; the suite compiles without the DOM library.
declare const document: { querySelectorAll(selector: string): ArrayLike<{ attributes: ArrayLike<{ name: string }>; getAttribute(name: string): string | null }>; documentElement: { scrollWidth: number } };
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };

const MODEL = 'stub-chat';
const ARTIFACTS = path.resolve('test-artifacts/web-app');
const PASSWORD = 'correct horse battery staple';

/** A URL predicate on the path alone (a query such as ?next=/chat must not match). */
const onPage = (prefix: string) => (url: URL) => url.pathname.startsWith(prefix);
/** Words a stub answer streams one by one, with a citation of the first retrieved chunk. */
const words = (text: string) => text.split(/(?<= )/);
const FIRST_ANSWER = words('Use **dh_make** to create the initial package files [1]. Then build it with debuild. ');

describe('the web app in a real browser', () => {
  let stub: OpenAiStubServer;
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page;
  const dialogs: string[] = [];

  const shot = async (name: string, target: Page = page) => target.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const byTestId = (id: string, target: Page = page) => target.locator(`[data-testid="${id}"]`);
  const expectAccessible = async (name: string, target: Page = page) =>
    expect(await seriousAccessibilityViolations(target), `axe on ${name}`).toEqual([]);
  /** Sockets upgraded to WebSockets, to cut them as a network drop would. */
  const upgraded = new Set<Socket>();
  const cutWebSockets = () => {
    const cut = upgraded.size;
    for (const socket of upgraded) socket.destroy();
    upgraded.clear();
    return cut;
  };

  /** Asks with Enter or the send button; the new turn and its answer (never an earlier turn's). */
  async function ask(question: string, via: 'Enter' | 'button', target: Page = page) {
    const before = await byTestId('turn', target).count();
    await byTestId('question', target).fill(question);
    if (via === 'Enter') await byTestId('question', target).press('Enter');
    else await byTestId('send', target).click();
    await expect.poll(() => byTestId('turn', target).count(), { timeout: 10_000 }).toBe(before + 1);
    const turn = byTestId('turn', target).nth(before);
    return { turn, answer: turn.getByTestId('turn-answer') };
  }

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    stub = await startOpenAiStubServer();
    app = await startAppWithChatStub(stub.baseURL, MODEL, { promptPer1k: 1000, completionPer1k: 2000 });
    app.app.server!.server.on('upgrade', (_request, socket: Socket) => upgraded.add(socket));
    browser = await openTestBrowser(app.url);
    page = browser.page;
    await page.setViewportSize({ width: 1280, height: 860 });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await stub?.close();
  });

  it('registers (the first user is the admin), lands on the chat, and survives a reload', async () => {
    await page.goto(`${app.url}/`);
    await page.waitForURL(onPage('/sign-in'));
    await expectAccessible('sign in');
    await byTestId('switch-mode').click();
    await byTestId('email').fill('agent@example.com');
    await byTestId('password').fill(PASSWORD);
    await byTestId('submit').click();
    await page.waitForURL(onPage('/chat'));
    await page.reload();
    await page.waitForURL(onPage('/chat'));
    await expect.poll(() => page.locator('.who').textContent()).toContain('agent@example.com');
  });

  it('funds the wallet as admin: finds the user and deposits', async () => {
    await page.goto(`${app.url}/wallet`);
    await byTestId('admin-user-search').fill('agent@');
    await page.locator('[data-testid="admin-user-option"]').first().click();
    await byTestId('deposit-amount').fill('50');
    await byTestId('deposit-submit').click();
    await expect.poll(async () => byTestId('balance').textContent(), { timeout: 15_000 }).toMatch(/50/);
    await expectAccessible('wallet');
  });

  let kbUrl: string;
  it('creates a knowledge base, uploads the 63-page PDF and sees it indexed with live progress', async () => {
    await page.goto(`${app.url}/knowledge-bases`);
    await expectAccessible('knowledge bases');
    await byTestId('kb-name').fill('Debian packaging');
    await byTestId('kb-create').click();
    await byTestId('kb-link').filter({ hasText: 'Debian packaging' }).click();
    await page.waitForURL(onPage('/knowledge-bases/'));
    kbUrl = page.url();
    await byTestId('file-input').setInputFiles(path.join(FIXTURES_DIR, 'maint-guide.en.pdf'));
    const row = page.locator('[data-testid="document-row"][data-name="maint-guide.en.pdf"]');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 120_000, interval: 250 }).toBe('indexed');
    await expectAccessible('knowledge base');
    await shot('knowledge-base');
    await byTestId('search-input').fill('dh_make');
    await byTestId('search-submit').click();
    await expect.poll(() => byTestId('search-hit').count(), { timeout: 10_000 }).toBeGreaterThan(0);
  });

  it('asks: the answer streams token by token, with a citation that opens its excerpt, then its cost', async () => {
    stub.script({ kind: 'stream', tokens: FIRST_ANSWER, delayMs: 60, usage: { prompt_tokens: 900, completion_tokens: FIRST_ANSWER.length } });
    await page.goto(`${app.url}/chat`);
    await byTestId('kb-select').selectOption({ label: 'Debian packaging' });
    const { turn, answer } = await ask('How do I create the initial package files?', 'Enter');
    const lengthsSeen = new Set<number>();
    for (let i = 0; i < 400 && (await turn.getAttribute('data-status')) !== 'completed'; i++) {
      lengthsSeen.add(((await answer.textContent()) ?? '').length);
      await page.waitForTimeout(20);
    }
    expect(await turn.getAttribute('data-status')).toBe('completed');
    expect(lengthsSeen.size, 'the answer grew in steps').toBeGreaterThan(4);
    expect(await answer.innerText()).toContain('Use dh_make to create the initial package files');
    expect(await answer.locator('strong').first().textContent()).toBe('dh_make');
    await page.waitForURL(onPage('/chat/'));
    await byTestId('citation').first().click();
    await expect.poll(() => byTestId('citation-excerpt').textContent()).toMatch(/\w{3,}/);
    expect(await byTestId('citation-knowledge-base').innerText()).toContain('maint-guide.en.pdf');
    await expect.poll(() => byTestId('turn-cost').last().textContent(), { timeout: 10_000 }).toMatch(/\d/);
    await expectAccessible('chat');
    await shot('chat-answer');
    // The citation leads to its document, pointed out in its knowledge base.
    await byTestId('citation-knowledge-base').click();
    await page.waitForURL(onPage('/knowledge-bases/'));
    await expect
      .poll(() => page.locator('[data-testid="document-row"][data-name="maint-guide.en.pdf"]').getAttribute('aria-current'), { timeout: 10_000 })
      .toBe('true');
    await page.goBack();
    await page.waitForURL(onPage('/chat/'));
    // Back in the conversation once its turn is shown again (the next test counts the turns).
    await expect.poll(() => byTestId('turn').count(), { timeout: 10_000 }).toBe(1);
  });

  it('stops a second answer midway: the turn ends stopped with the text so far', async () => {
    const tokens = Array.from({ length: 300 }, (_, i) => `word${i} `);
    stub.script({ kind: 'stream', tokens, delayMs: 40 });
    const { turn, answer } = await ask('Tell me everything about debian/rules', 'button');
    await expect.poll(async () => ((await answer.textContent()) ?? '').length, { timeout: 15_000 }).toBeGreaterThan(20);
    await byTestId('stop').click();
    await expect.poll(() => turn.getAttribute('data-status'), { timeout: 15_000 }).toBe('stopped');
    const text = (await answer.innerText()).trim();
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain('word299');
  });

  it('resumes an answer intact when the WebSocket is cut midway', async () => {
    const tokens = Array.from({ length: 60 }, (_, i) => `t${i} `);
    stub.script({ kind: 'stream', tokens, delayMs: 50 });
    const { turn, answer } = await ask('What does debuild do?', 'Enter');
    await expect.poll(async () => ((await answer.textContent()) ?? '').length, { timeout: 15_000 }).toBeGreaterThan(10);
    expect(cutWebSockets(), 'open WebSockets cut').toBeGreaterThan(0);
    const cutAt = ((await answer.textContent()) ?? '').length;
    await expect.poll(() => turn.getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');
    expect((await answer.innerText()).trim()).toBe(tokens.join('').trim());
    expect(cutAt, 'cut midway').toBeLessThan(tokens.join('').trim().length);
    expect(upgraded.size, 'the app connected again').toBeGreaterThan(0);
  });

  it('rates an answer; the rating is kept after a reload', async () => {
    await byTestId('rate-up').first().click();
    await expect.poll(() => byTestId('rate-up').first().getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    await page.reload();
    await expect.poll(() => byTestId('rate-up').first().getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
  });

  it('shows the cost in the ledger, each line with its model and tokens', async () => {
    await page.goto(`${app.url}/wallet`);
    const rows = byTestId('ledger-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(3);
    await expect.poll(async () => (await rows.allTextContents()).join('\n')).toContain(MODEL);
    await shot('wallet');
  });

  it('opens the audit timeline of the conversation', async () => {
    await page.goto(`${app.url}/chat`);
    await byTestId('conversation-link').first().click();
    await page.waitForURL(onPage('/chat/'));
    const conversationId = new URL(page.url()).pathname.split('/').pop();
    await page.goto(`${app.url}/audit?stream=conversation-${conversationId}`);
    await expect.poll(() => byTestId('audit-event').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expectAccessible('audit');
    await shot('audit');
  });

  it('never runs HTML from a document or an answer', async () => {
    const hostile = [
      '# Hostile',
      '<script>alert("doc")</script> <img src=x onerror="alert(\'img\')"> [click](javascript:alert("link"))',
      '<a href="javascript:alert(1)">x</a> <svg onload="alert(2)"></svg>',
    ].join('\n\n');
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('ka.session') ?? '{}').accessToken as string);
    const kbId = new URL(kbUrl).pathname.split('/').pop()!;
    const form = new FormData();
    form.append('file', new Blob([hostile], { type: 'text/markdown' }), 'hostile.md');
    const upload = await fetch(`${app.url}/api/knowledge-bases/${kbId}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    stub.script({
      kind: 'stream',
      tokens: ['<script>alert("answer")</script> ', '<img src=x onerror=alert(3)> ', '[open](javascript:alert(4)) ', '<b onmouseover=alert(5)>hover</b> [1]'],
    });
    await page.goto(`${app.url}/chat`);
    await byTestId('kb-select').selectOption({ label: 'Debian packaging' });
    await byTestId('question').fill('<script>alert("question")</script> hostile');
    await byTestId('question').press('Enter');
    const turn = byTestId('turn').last();
    await expect.poll(() => turn.getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
    await page.goto(kbUrl);
    await byTestId('search-input').fill('hostile script alert');
    await byTestId('search-submit').click();
    await expect.poll(() => byTestId('search-hit').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.goto(`${app.url}/chat`);
    await byTestId('conversation-link').first().click();
    await byTestId('turn').last().hover();
    const injected = await page.evaluate(() => ({
      scripts: document.querySelectorAll('main script').length,
      handlers: Array.from(document.querySelectorAll('main *')).filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith('on'))).length,
      javascriptLinks: Array.from(document.querySelectorAll('main a')).filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
    }));
    expect(injected).toEqual({ scripts: 0, handlers: 0, javascriptLinks: 0 });
    expect(dialogs).toEqual([]);
  });

  it('works in Chinese with a Chinese document, the language following the browser', async () => {
    const context: BrowserContext = await browser.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    const zh = await context.newPage();
    try {
      await zh.goto(`${app.url}/`);
      await zh.waitForURL(onPage('/sign-in'));
      await byTestId('switch-mode', zh).click();
      await byTestId('email', zh).fill('zhang@example.com');
      await byTestId('password', zh).fill(PASSWORD);
      await byTestId('submit', zh).click();
      await zh.waitForURL(onPage('/chat'));
      expect(await zh.locator('nav.app-nav').innerText()).toContain('知识库');
      const cmrc = JSON.parse(await readFile(path.join(DATA_SETS_DIR, 'cmrc2018-trial.json'), 'utf8')) as {
        data: Array<{ paragraphs: Array<{ context: string }> }>;
      };
      const paragraph = cmrc.data[0]!.paragraphs[0]!.context;
      await zh.goto(`${app.url}/knowledge-bases`);
      await byTestId('kb-name', zh).fill('中文资料');
      await byTestId('kb-create', zh).click();
      await byTestId('kb-link', zh).filter({ hasText: '中文资料' }).click();
      await zh.waitForURL(onPage('/knowledge-bases/'));
      await byTestId('file-input', zh).setInputFiles({ name: '资料.md', mimeType: 'text/markdown', buffer: Buffer.from(`# 资料\n\n${paragraph}\n`) });
      const row = zh.locator('[data-testid="document-row"][data-name="资料.md"]');
      await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000, interval: 250 }).toBe('indexed');
      await expectAccessible('知识库', zh);
      await shot('zh-knowledge-base', zh);
      // A new user has no credits: the question is refused with the balance and what it needed.
      await zh.goto(`${app.url}/chat`);
      await byTestId('kb-select', zh).selectOption({ label: '中文资料' });
      await byTestId('question', zh).fill(`${paragraph.slice(0, 12)}是什么？`);
      await byTestId('question', zh).press('Enter');
      await expect.poll(() => byTestId('insufficient-funds', zh).isVisible(), { timeout: 15_000 }).toBe(true);
      await shot('zh-insufficient-funds', zh);
      await expectAccessible('对话', zh);
      // Funded by the admin, the same question is answered, streamed in Chinese.
      const adminToken = await page.evaluate(() => JSON.parse(localStorage.getItem('ka.session') ?? '{}').accessToken as string);
      const zhang = await zh.evaluate(() => JSON.parse(localStorage.getItem('ka.session') ?? '{}').user.id as string);
      const funded = await app.gql(`mutation($u: ID!) { deposit(userId: $u, amount: 5000000, reference: "zh-funds") { balance } }`, { u: zhang }, adminToken);
      expect(funded.errors).toBeUndefined();
      const chinese = ['根据', '资料', '，', '答案', '在', '第一', '段', '。', '[1]'];
      stub.script({ kind: 'stream', tokens: chinese, delayMs: 40 });
      const answered = await ask(`${paragraph.slice(0, 12)}是什么？`, 'Enter', zh);
      await expect.poll(() => answered.turn.getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
      expect((await answered.answer.innerText()).replace(/\s/g, '')).toContain('根据资料，答案在第一段。');
      // Esc stops the answer being written.
      stub.script({ kind: 'stream', tokens: Array.from({ length: 300 }, (_, i) => `字${i}`), delayMs: 40 });
      const { turn: streaming, answer: streamed } = await ask('请详细说明', 'Enter', zh);
      await expect.poll(async () => ((await streamed.textContent()) ?? '').length, { timeout: 15_000 }).toBeGreaterThan(5);
      await byTestId('question', zh).press('Escape');
      await expect.poll(() => streaming.getAttribute('data-status'), { timeout: 15_000 }).toBe('stopped');
      await shot('zh-chat', zh);
    } finally {
      await context.close();
    }
  });

  it('is usable on a phone-sized screen: nothing wider than the screen, the chat answers', async () => {
    const phone = await browser.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    const small = await phone.newPage();
    try {
      const session = await page.evaluate(() => localStorage.getItem('ka.session'));
      await small.goto(`${app.url}/sign-in`);
      await small.evaluate((value) => localStorage.setItem('ka.session', value!), session);
      for (const route of ['/chat', '/knowledge-bases', '/wallet', '/audit']) {
        await small.goto(`${app.url}${route}`);
        await small.waitForLoadState('networkidle');
        const width = await small.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${route} fits 375 px`).toBeLessThanOrEqual(375);
        await shot(`phone${route.replace(/\//g, '-')}`, small);
      }
      stub.script({ kind: 'stream', tokens: words('Small screens work too. '), delayMs: 20 });
      await small.goto(`${app.url}/chat`);
      await byTestId('kb-select', small).selectOption({ label: 'Debian packaging' });
      await byTestId('question', small).fill('Does this work on a phone?');
      await byTestId('send', small).click();
      await expect.poll(() => byTestId('turn', small).last().getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
    } finally {
      await phone.close();
    }
  });

  it('says so when the server cannot be reached or the session has expired; signs out', async () => {
    // A context of its own: the browser logs refused requests as console errors, which the main page must not have.
    const context = await browser.browser.newContext();
    const other = await context.newPage();
    try {
      const session = await page.evaluate(() => localStorage.getItem('ka.session'));
      await other.goto(`${app.url}/sign-in`);
      await other.evaluate((value) => localStorage.setItem('ka.session', value!), session);
      await other.goto(`${app.url}/wallet`);
      await expect.poll(() => byTestId('balance', other).textContent(), { timeout: 10_000 }).toMatch(/\d/);
      // Queries go as GET /graphql?query=…: match the path, not the whole URL.
      const graphqlPath = (url: URL) => url.pathname === '/graphql';
      await other.route(graphqlPath, (route) => route.abort('connectionrefused'));
      await other.locator('nav.app-nav a[href="/knowledge-bases"]').click();
      await expect.poll(() => byTestId('unreachable', other).isVisible(), { timeout: 15_000 }).toBe(true);
      await shot('unreachable', other);
      await other.unroute(graphqlPath);
      await other.locator('nav.app-nav a[href="/wallet"]').click();
      await expect.poll(() => byTestId('unreachable', other).isVisible(), { timeout: 15_000 }).toBe(false);

      // A session whose tokens the server no longer takes: the user is told and sent to sign in.
      const forged = JSON.parse(session!) as { accessToken: string; refreshToken: string };
      const expired = { ...forged, accessToken: `${forged.accessToken.slice(0, -4)}AAAA`, refreshToken: 'revoked' };
      await other.evaluate((value) => localStorage.setItem('ka.session', value), JSON.stringify(expired));
      await other.goto(`${app.url}/wallet`);
      await expect.poll(() => byTestId('expired', other).isVisible(), { timeout: 15_000 }).toBe(true);
      await other.waitForURL(onPage('/sign-in'));
      await shot('expired', other);

      // Signing out forgets the session: a reload stays signed out.
      await other.evaluate((value) => localStorage.setItem('ka.session', value!), session);
      await other.goto(`${app.url}/chat`);
      await other.getByRole('button', { name: 'Sign out' }).click();
      await other.waitForURL(onPage('/sign-in'));
      await other.reload();
      await other.waitForURL(onPage('/sign-in'));
      expect(await other.evaluate(() => localStorage.getItem('ka.session'))).toBeNull();
    } finally {
      await context.close();
    }
  });

  it('logged no console error and fetched nothing from another origin', () => {
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
