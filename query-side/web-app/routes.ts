/**
 * The web app (ui/, built by Vite) at `/`, from this server: one origin and one port for the pages, GraphQL and
 * uploads. Hashed assets are cached for good; index.html never is, and any other page path gets it (the app routes
 * in the browser). A strict Content-Security-Policy: scripts only from here, so text from a model or a document can
 * never run even if it slipped past the Markdown renderer.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { DomainError } from '../../contracts/errors.ts';
import { handleHttpError } from '../server/http-errors.ts';

export const WEB_APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** Paths that belong to the server, never to the app's router. */
const SERVER_PATHS = /^\/(graphql|graphiql|api|healthz|metrics)(\/|$|\?)/;

export interface WebAppOptions {
  /** The built app: index.html and assets/. */
  dir: string;
}

export async function registerWebApp(app: FastifyInstance, options: WebAppOptions): Promise<void> {
  const indexFile = path.join(options.dir, 'index.html');
  if (!existsSync(indexFile)) {
    app.log.warn({ dir: options.dir }, 'no built web app: `/` is not served (npm start builds it)');
    return;
  }
  // Read per request (half a kilobyte): a rebuild under a running server is picked up, never half-served.
  const sendIndex = async (reply: FastifyReply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', WEB_APP_CSP)
      .header('x-content-type-options', 'nosniff')
      .send(await readFile(indexFile));

  await app.register(fastifyStatic, {
    root: options.dir,
    // Files are looked up per request, so assets of a rebuild are served without a restart.
    wildcard: true,
    index: false,
    setHeaders: (reply, filePath) => {
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      reply.header('x-content-type-options', 'nosniff');
    },
  });
  app.get('/', (_request, reply) => sendIndex(reply));
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '';
    const wantsPage = request.method === 'GET' && !SERVER_PATHS.test(request.url) && !/\.\w+$/.test(pathname);
    if (wantsPage && (request.headers.accept ?? '').includes('text/html')) return sendIndex(reply);
    const notFound = new DomainError('NOT_FOUND', `no route ${request.method} ${pathname}`);
    return handleHttpError(notFound as unknown as FastifyError, request, reply);
  });
}
