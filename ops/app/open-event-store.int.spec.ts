/** openEventStore picks the adapter from the URL; EventStoreDB being down is one clear line naming the URL. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../contracts/errors.ts';
import { pgliteTemplateFile } from '../sql/pglite-template.ts';
import { createTestPostgres } from '../testing/databases.ts';
import { openEventStore } from './open-event-store.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('openEventStore', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('fails fast with one clear UNAVAILABLE line naming the EventStoreDB URL when nothing listens there', async () => {
    const url = `esdb://127.0.0.1:${await closedPort()}?tls=false`;
    const started = Date.now();
    const error = await openEventStore({ url, dataDir: '/nonexistent' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    const message = (error as Error).message;
    expect(message).toContain(`EventStoreDB at ${url} is unreachable`);
    expect(message).not.toMatch(/^14 UNAVAILABLE/);
    expect(message.split('\n')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('keeps an embedded store in dataDir across reopen', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ka-es-'));
    dirs.push(dataDir);
    const templateFile = await pgliteTemplateFile();
    const first = await openEventStore({ dataDir, templateFile });
    expect(first.kind).toBe('pglite');
    const appended = await first.append('kept-1', [{ type: 'Kept', data: { n: 1 } }], 'no_stream');
    await first.close();
    const second = await openEventStore({ dataDir, templateFile });
    try {
      expect((await second.readStream('kept-1')).map((e) => e.data)).toEqual([{ n: 1 }]);
      expect(await second.headPosition()).toBe(appended.position);
    } finally {
      await second.close();
    }
  });

  it('opens the SQL store on a Postgres server for a postgres:// URL', async () => {
    const db = await createTestPostgres({ max: 1 });
    try {
      const store = await openEventStore({ url: db.url, dataDir: '/nonexistent' });
      expect(store.kind).toBe('postgres');
      await store.append('pg-1', [{ type: 'Kept', data: {} }], 'no_stream');
      expect(await store.readStream('pg-1')).toHaveLength(1);
      await store.close();
    } finally {
      await db.drop();
    }
  });
});
