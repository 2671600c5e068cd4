/**
 * `npm run audit` next to a running server whose event store is Postgres: it reads the log directly while the server
 * runs (a server database has room for more readers, unlike the embedded PGlite) and prints what it prints through
 * the server's API; the real command, run as its own process, prints the same and exits 0.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, createKnowledgeBase, DEPOSIT, finishedTurn, ok } from '../../query-side/resolvers/chat.testing.ts';
import { register, type Session } from '../../query-side/resolvers/identity.testing.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';
import { runAudit } from './run-audit.ts';

const run = promisify(execFile);

async function audit(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAudit(argv, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('npm run audit on a Postgres event store', () => {
  let app: TestApp;
  let admin: Session;
  let turnId: string;
  let direct: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp({ postgresEventStore: true, env: { SIGNUP_GRANT: '0' } });
    admin = await register(app, 'admin@example.com');
    const alice = await register(app, 'alice@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: alice.user.id, amount: 1_000_000, reference: 'alice-funds' });
    const kb = await createKnowledgeBase(app, alice.accessToken, 'Plant');
    const turn = await finishedTurn(app, alice.accessToken, (await ask(app, alice.accessToken, { kb, question: 'What do pumps do?' })).id);
    expect(turn.status).toBe('completed');
    turnId = turn.id;
    direct = { EVENTSTORE_URL: app.app.config.EVENTSTORE_URL!, DATA_DIR: app.dataDir, LOG_LEVEL: 'silent' };
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('reads the log directly while the server runs, and prints what the server\'s API gives', async () => {
    const fromStore = await audit(['turn', turnId], direct);
    expect(fromStore.code, fromStore.err.join('\n')).toBe(0);
    expect(fromStore.out.at(-1)).toMatch(/^charge: extractive-local \d+ prompt \+ \d+ completion tokens .* the wallet captured \d+$/);
    const throughServer = await audit(['turn', turnId], { ...direct, AUDIT_SERVER: app.url, AUDIT_TOKEN: admin.accessToken });
    expect(throughServer).toEqual(fromStore);
  });

  it('runs as its own process: npm run audit\'s script prints the chain and exits 0, or the usage and exits 2', async () => {
    const env = { PATH: process.env.PATH, ...direct };
    const fromStore = await audit(['turn', turnId], direct);
    const printed = await run('node_modules/.bin/tsx', ['ops/scripts/audit.ts', 'turn', turnId], { env });
    expect(printed.stdout).toBe(`${fromStore.out.join('\n')}\n`);
    const wrong = await run('node_modules/.bin/tsx', ['ops/scripts/audit.ts', 'conversation', 'c1'], { env }).catch((error: { code: number; stderr: string }) => error);
    expect(wrong).toMatchObject({ code: 2, stderr: expect.stringContaining('usage:') });
  });
});
