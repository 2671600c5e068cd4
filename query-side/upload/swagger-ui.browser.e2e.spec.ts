/**
 * The OpenAPI description of the upload route, used the way a person would: Swagger UI at /api/docs in Debian's
 * Chromium, Authorize with a bearer token, "Try it out", pick a file, Execute. The request Swagger UI builds from
 * the document must be one our route accepts (201), so the document cannot drift from the route unnoticed.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestBrowser, type TestBrowser } from '../../ops/testing/browser.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { register, type Session } from '../resolvers/identity.testing.ts';
import { createKnowledgeBase, waitForStatus } from './upload.testing.ts';

describe('Swagger UI at /api/docs in Chromium', () => {
  let app: TestApp;
  let owner: Session;
  let kb: string;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    app = await startTestApp();
    owner = await register(app, 'owner@example.com');
    kb = await createKnowledgeBase(app, owner, 'Manuals');
    browser = await openTestBrowser(app.url);
    page = browser.page;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('describes the route in OpenAPI 3 with every answer it gives', async () => {
    const document = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, { post: { responses: Record<string, unknown> } }>;
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths['/api/knowledge-bases/{id}/documents']!.post.responses).sort()).toEqual(
      ['200', '201', '400', '401', '403', '404', '413', '415', '429'].sort(),
    );
  });

  it('uploads a file through Authorize, Try it out and Execute', async () => {
    await page.goto(`${app.url}/api/docs/`, { waitUntil: 'networkidle' });
    await page.locator('button.authorize').first().click();
    await page.locator('.modal-ux input[type="text"], .modal-ux input:not([type])').first().fill(owner.accessToken);
    await page.locator('.modal-ux button.authorize').click();
    await page.locator('.modal-ux button.btn-done').click();
    await page.locator('#operations-default-uploadDocument .opblock-summary').click();
    await page.locator('#operations-default-uploadDocument button.try-out__btn').click();
    await page.locator('#operations-default-uploadDocument tr[data-param-name="id"] input').fill(kb);
    await page.locator('#operations-default-uploadDocument input[type="file"]').setInputFiles({
      name: 'pumps.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Pumps\n\nPrime the pump before the first start.\n'),
    });
    await page.locator('#operations-default-uploadDocument button.execute').click();
    const status = page.locator('#operations-default-uploadDocument .live-responses-table tr.response .response-col_status').first();
    await status.waitFor({ timeout: 30_000 });
    expect((await status.textContent())?.trim()).toBe('201');
    const body = await page.locator('#operations-default-uploadDocument .live-responses-table tr.response .response-col_description pre').first().textContent();
    const { id } = JSON.parse(body ?? '{}') as { id: string };
    const document = await waitForStatus(app, owner.accessToken, id, ['indexed'], 90_000);
    expect(document).toMatchObject({ name: 'pumps.md', status: 'indexed' });
  });

  it('logged no console error and fetched nothing from another origin', () => {
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.foreignRequests).toEqual([]);
  });
});
