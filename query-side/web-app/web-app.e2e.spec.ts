/**
 * The web app's routes on a real fastify server: index.html at / and at any page path (the browser routes), hashed
 * assets cached for good, a strict CSP on the page, and the server's own paths never swallowed by the fallback.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_APP_CSP, registerWebApp } from './routes.ts';

describe('the web app routes', () => {
  let dir: string;
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ka-web-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><div id="app"></div>');
    await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    app = Fastify({ logger: false });
    app.post('/graphql', async () => ({ data: {} }));
    await registerWebApp(app, { dir });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the page at / with a CSP that allows scripts from this origin only, never cached', async () => {
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(WEB_APP_CSP);
    expect(WEB_APP_CSP).toContain("script-src 'self'");
    expect(WEB_APP_CSP).not.toContain('unsafe-eval');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('id="app"');
  });

  it('answers a page path of the app (a reload on /wallet) with the page', async () => {
    const response = await fetch(`${url}/knowledge-bases/kb-1?tab=docs`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('id="app"');
  });

  it('caches hashed assets for a year', async () => {
    const response = await fetch(`${url}/assets/index-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
    expect(response.headers.get('content-type')).toMatch(/javascript/);
  });

  it('keeps 404 for missing files and for the server own paths, in the API error shape', async () => {
    for (const missing of ['/assets/gone.js', '/graphql/nope', '/api/nothing', '/healthz/x']) {
      const response = await fetch(`${url}${missing}`, { headers: { accept: 'text/html' } });
      expect(response.status, missing).toBe(404);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    }
    const api = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(200);
  });

  it('serves nothing at / when the app was not built, and says so', async () => {
    const bare = Fastify({ logger: false });
    await registerWebApp(bare, { dir: path.join(dir, 'missing') });
    const response = await bare.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(404);
    await bare.close();
  });
});
