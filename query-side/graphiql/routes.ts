/** GraphiQL at /graphiql: one HTML page and its assets under /graphiql/assets/, all from this server. */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { SCRIPT_NAMES, STYLE_NAMES, loadGraphiqlAssets } from './assets.ts';

const ASSETS = '/graphiql/assets';

const page = (): string => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Knowledge Assistant — GraphiQL</title>
    <link rel="icon" href="data:," />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
${STYLE_NAMES.map((name) => `    <link rel="stylesheet" href="${ASSETS}/${name}" />`).join('\n')}
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
${[...SCRIPT_NAMES, 'setup.js'].map((name) => `    <script src="${ASSETS}/${name}"></script>`).join('\n')}
  </body>
</html>
`;

export async function registerGraphiql(app: FastifyInstance): Promise<void> {
  const assets = await loadGraphiqlAssets();
  const setup = await readFile(new URL('./setup.js', import.meta.url));
  const html = page();

  app.get('/graphiql', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:")
      .send(html),
  );
  app.get<{ Params: { name: string } }>(`${ASSETS}/:name`, async (request, reply) => {
    const { name } = request.params;
    if (name === 'setup.js') return reply.type('text/javascript; charset=utf-8').send(setup);
    const asset = assets.get(name);
    if (!asset) return reply.code(404).send({ error: 'not found' });
    return reply.type(asset.contentType).header('cache-control', 'public, max-age=86400').send(asset.body);
  });
}
