/**
 * Under an answer's cost, "How was this charged?" opens the chain the server read from the log (Turn.trail), in a
 * real browser: the tokens at the price come to the amount charged, the passage it was built from with its document
 * revision, and the events with their log positions; a failed answer says its hold was released, nothing charged.
 * In English and Chinese, with axe on the opened explanation.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { ask, createKnowledgeBase, DEPOSIT, finishedTurn, ok, startAppWithChatStub } from '../../query-side/resolvers/chat.testing.ts';
import { register, type Session } from '../../query-side/resolvers/identity.testing.ts';
import { seriousAccessibilityViolations } from '../testing/axe.ts';
import { openTestBrowser, type TestBrowser } from '../testing/browser.ts';
import { documentEnd, uploadFile } from '../testing/document-uploads.ts';
import type { TestApp } from '../testing/server.ts';

const MODEL = 'stub-chat';

describe('how a turn was charged, in the browser', () => {
  let stub: OpenAiStubServer;
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let admin: Session;
  let conversationId: string;
  const turnCard = (status: string) => page.locator(`[data-testid="turn"][data-status="${status}"]`);

  beforeAll(async () => {
    stub = await startOpenAiStubServer();
    app = await startAppWithChatStub(stub.baseURL, MODEL, { promptPer1k: 1000, completionPer1k: 2000 });
    admin = await register(app, 'admin@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: admin.user.id, amount: 20_000_000, reference: 'funds' });
    const kb = await createKnowledgeBase(app, admin.accessToken, 'Plant manuals');
    const manual = new TextEncoder().encode('# Pumps\n\nOil the pump every month with light machine oil.\n');
    const documentId = await uploadFile(app, admin.accessToken, kb, 'pumps.md', manual);
    expect((await documentEnd(app, admin.accessToken, documentId, 60_000)).status).toBe('indexed');
    // 1,200 prompt and 30 completion tokens at 1,000 / 2,000 per 1,000: 1,260 micro-credits, 0.00126 credits.
    stub.script({ kind: 'stream', tokens: ['Oil ', 'it ', 'monthly.'], usage: { prompt_tokens: 1200, completion_tokens: 30 } });
    const answered = await finishedTurn(app, admin.accessToken, (await ask(app, admin.accessToken, { kb, question: 'How often is the pump oiled?' })).id);
    expect(answered.cost).toBe(1260);
    conversationId = answered.conversationId;
    stub.script({ kind: 'status', status: 400 });
    const failed = await finishedTurn(app, admin.accessToken, (await ask(app, admin.accessToken, { kb, question: 'And the valves?', conversationId })).id);
    expect(failed.status).toBe('failed');

    browser = await openTestBrowser(app.url);
    page = browser.page;
    const session = JSON.stringify({ accessToken: admin.accessToken, refreshToken: admin.refreshToken, user: admin.user });
    await page.addInitScript(`localStorage.setItem('ka.session', ${JSON.stringify(session)})`);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await stub?.close();
  });

  it('explains a charge from the log: tokens at the price, the source and its revision, the events', async () => {
    await page.goto(`${app.url}/chat/${conversationId}`);
    const completed = turnCard('completed');
    await completed.getByText('How was this charged?').click();
    const explained = completed.getByTestId('charge-explained');
    await expect.poll(() => explained.textContent(), { timeout: 15_000 }).toContain('0.00126 credits were charged');
    expect(await explained.textContent()).toMatch(/^1,200 prompt tokens at 0\.001 and 30 completion tokens at 0\.002 credits per 1,000 come to 0\.00126 credits/);
    expect(await completed.getByTestId('charge-source').allTextContents()).toEqual([expect.stringMatching(/^\[1\] pumps\.md, revision 1, score \d\.\d\d$/)]);
    const types = await completed.getByTestId('charge-event').evaluateAll((items) => items.map((item) => (item as unknown as { dataset: { type: string } }).dataset.type));
    expect(types).toContain('FundsCaptured');
    expect(types.at(-1)).toBe('TurnCompleted');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const failed = turnCard('failed');
    await failed.getByText('How was this charged?').click();
    await expect.poll(() => failed.getByTestId('charge-explained').textContent(), { timeout: 15_000 }).toMatch(/were released: nothing was charged\.$/);
    expect(browser.consoleErrors).toEqual([]);
  });

  it('explains it in Chinese too', async () => {
    await page.evaluate(`localStorage.setItem('ka.locale', 'zh')`);
    await page.goto(`${app.url}/chat/${conversationId}`);
    const completed = turnCard('completed');
    await completed.getByText('这笔费用是怎么算的？').click();
    await expect.poll(() => completed.getByTestId('charge-explained').textContent(), { timeout: 15_000 }).toContain('扣除 0.00126 额度');
  });
});
