/**
 * Rebuild into fresh tables, verify against the live ones, swap, and the Postgres lease.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectTestPostgres } from '../../ops/testing/databases.ts';
import { advisoryLockLease } from './lease.ts';
import type { Projector } from './projector.ts';
import { rebuildProjection } from './rebuild.ts';
import { swapRebuild } from './swap.ts';
import { accountsProjector, appendDeposits, triangle } from './testing-projector.ts';
import { openRuntimeTestEnv, type RuntimeTestEnv } from './runtime-env.testing.ts';

/** Generous: the machine is shared; a wait that should succeed must not fail on a slow moment. */
const SETTLE_MS = 30_000;
import { verifyRebuild } from './verify.ts';

const envs: RuntimeTestEnv[] = [];
afterEach(async () => {
  while (envs.length > 0) await envs.pop()!.close();
});
async function openEnv(kind: 'pglite' | 'postgres'): Promise<RuntimeTestEnv> {
  const env = await openRuntimeTestEnv(kind);
  envs.push(env);
  return env;
}

const total = async (env: RuntimeTestEnv) =>
  (await env.sql.query<{ sum: number }>(`SELECT coalesce(sum(balance), 0)::int8 AS sum FROM accounts`))[0]!.sum;

describe.each(['pglite', 'postgres'] as const)('rebuild on %s', (kind) => {
  it('rebuilds into a fresh schema that equals the live tables, sees a tampered row, and swaps in', async () => {
    const env = await openEnv(kind);
    const projector = accountsProjector();
    const runtime = env.runtime({ projectors: [projector] });
    await runtime.start();
    const head = await appendDeposits(env.store, 150);
    await runtime.waitForPosition(head, { timeoutMs: SETTLE_MS });

    const target = { sql: env.sql, eventStore: env.store, projector, batchSize: 40 };
    const rebuilt = await rebuildProjection(target);
    expect(rebuilt).toMatchObject({ schema: 'rebuild_accounts', position: head, events: 150 });
    const same = await verifyRebuild({ ...target, schema: rebuilt.schema });
    expect(same).toMatchObject({ equal: true, position: head });
    expect(same.tables.map((t) => t.table)).toEqual(['accounts', 'handled']);

    await env.sql.query(`UPDATE accounts SET balance = balance + 1 WHERE id = 'account-1'`);
    const tampered = await verifyRebuild({ ...target, schema: rebuilt.schema });
    expect(tampered.equal).toBe(false);
    expect(tampered.tables.find((t) => t.table === 'accounts')).toMatchObject({ onlyLive: 1, onlyRebuilt: 1 });

    await swapRebuild(env.sql, projector, rebuilt.schema);
    expect(await total(env)).toBe(triangle(150));
    const schemas = await env.sql.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'rebuild_accounts'`);
    expect(schemas).toHaveLength(0);
    // The live projector goes on with the swapped-in tables.
    const more = await appendDeposits(env.store, 10);
    await runtime.waitForPosition(more, { timeoutMs: SETTLE_MS });
    expect(await total(env)).toBe(triangle(150) + triangle(10));
  });

  it('a live projector follows a swapped-in rebuild that stands earlier in the log', async () => {
    const env = await openEnv(kind);
    const projector = accountsProjector();
    const runtime = env.runtime({ projectors: [projector] });
    await runtime.start();
    const early = await appendDeposits(env.store, 30);
    const head = await appendDeposits(env.store, 30);
    await runtime.waitForPosition(head, { timeoutMs: SETTLE_MS });

    const rebuilt = await rebuildProjection({ sql: env.sql, eventStore: env.store, projector }, early);
    expect(rebuilt.position).toBe(early);
    await swapRebuild(env.sql, projector, rebuilt.schema);
    const more = await appendDeposits(env.store, 1);
    await runtime.waitForPosition(more, { timeoutMs: SETTLE_MS });
    expect(await total(env)).toBe(2 * triangle(30) + 1);
    expect((await env.sql.query(`SELECT * FROM handled`)).length).toBe(61);
  });
});

describe('rebuild on pglite with pgvector', () => {
  it('keeps public on the search_path, so vector columns rebuild and compare', async () => {
    const env = await openEnv('pglite');
    const projector: Projector = {
      name: 'vectors',
      version: 1,
      extensions: ['vector'],
      migrations: [{ version: 1, sql: `CREATE TABLE vecs (id text PRIMARY KEY, embedding vector(3) NOT NULL)` }],
      async handle(events, tx) {
        await tx.query(`INSERT INTO vecs SELECT * FROM unnest($1::text[], $2::text[]::vector[])`, [
          events.map((e) => e.id),
          events.map((e) => `[${Number(e.data.amount)},1,0]`),
        ]);
      },
    };
    const runtime = env.runtime({ projectors: [projector] });
    await runtime.start();
    const head = await appendDeposits(env.store, 20);
    await runtime.waitForPosition(head, { timeoutMs: SETTLE_MS });
    const target = { sql: env.sql, eventStore: env.store, projector };
    const rebuilt = await rebuildProjection(target);
    expect(await verifyRebuild({ ...target, schema: rebuilt.schema })).toMatchObject({ equal: true });
  });
});

describe('lease on postgres', () => {
  it('runs each projector in one instance; a standby takes over when the holder stops', async () => {
    const env = await openEnv('postgres');
    const leaseA = advisoryLockLease(connectTestPostgres(env.url!, { max: 1 }));
    const leaseB = advisoryLockLease(connectTestPostgres(env.url!, { max: 1 }));
    const a = env.runtime({ projectors: [accountsProjector()], lease: leaseA, leaseCheckMs: 100 });
    const b = env.runtime({ projectors: [accountsProjector()], lease: leaseB, leaseCheckMs: 100 });
    await a.start();
    await b.start();
    expect(a.health()[0]!.status).toBe('running');
    expect(b.health()[0]!.status).toBe('standby');
    const head = await appendDeposits(env.store, 20);
    await b.waitForPosition(head, { timeoutMs: SETTLE_MS });

    await a.stop();
    const more = await appendDeposits(env.store, 5);
    await b.waitForPosition(more, { timeoutMs: SETTLE_MS });
    expect(b.health()[0]!.status).toBe('running');
    expect(await total(env)).toBe(triangle(20) + triangle(5));
  });
});
