/**
 * The embedded PGlite driver sends statements to its worker without waiting for the previous reply (the worker runs
 * them in order): every caller still gets its own result, a transaction is never interleaved with anyone else's
 * statements, and a failure anywhere leaves the connection usable.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlError, type Sql } from '../../contracts/sql.ts';
import { createPgliteSql } from './pglite.ts';
import { pgliteTemplateFile } from './pglite-template.ts';

describe('PGlite driver', () => {
  let sql: Sql;
  beforeAll(async () => {
    sql = await createPgliteSql({ templateFile: await pgliteTemplateFile() });
    await sql.exec('CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)');
  });
  afterAll(async () => {
    await sql?.close();
  });

  it('gives each of many queries sent at once its own result', async () => {
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => sql.query<{ n: number }>('SELECT $1::int * 2 AS n', [i])));
    expect(results.map(([row]) => row!.n)).toEqual(Array.from({ length: 500 }, (_, i) => i * 2));
  });

  it('runs a transaction alone: statements sent meanwhile wait for its COMMIT', async () => {
    await sql.exec('DELETE FROM items');
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    const transaction = sql.transaction(async (tx) => {
      await tx.query('INSERT INTO items VALUES (1, $1)', ['first']);
      await paused; // the callback does other work between its statements
      await tx.query('INSERT INTO items VALUES (2, $1)', ['second']);
      return 'done';
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Sent while the transaction is open: it must see both rows or none, never the first alone.
    const outside = sql.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
    const inserted = sql.query('INSERT INTO items VALUES (3, $1)', ['outside']);
    setTimeout(release, 30);
    expect(await transaction).toBe('done');
    expect(await outside).toEqual([{ n: 2 }]);
    await inserted;
    expect(await sql.query('SELECT id FROM items ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('rolls a failed transaction back whole, and the connection goes on', async () => {
    await sql.exec('DELETE FROM items');
    const failed = sql.transaction(async (tx) => {
      await tx.query('INSERT INTO items VALUES (10, $1)', ['kept?']);
      await tx.query('INSERT INTO items VALUES (10, $1)', ['duplicate']);
    });
    const after = sql.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
    await expect(failed).rejects.toBeInstanceOf(SqlError);
    await expect(failed).rejects.toMatchObject({ code: '23505' });
    expect(await after).toEqual([{ n: 0 }]);
    // A callback that throws on its own also rolls back.
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO items VALUES (11, $1)', ['gone']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await sql.query('SELECT count(*)::int AS n FROM items')).toEqual([{ n: 0 }]);
  });

  it('fails only the statement that fails when several are in flight', async () => {
    const [good, bad, next] = await Promise.allSettled([
      sql.query('SELECT 1 AS one'),
      sql.query('SELECT * FROM no_such_table'),
      sql.query('SELECT 2 AS two'),
    ]);
    expect(good).toMatchObject({ status: 'fulfilled', value: [{ one: 1 }] });
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: '42P01' } });
    expect(next).toMatchObject({ status: 'fulfilled', value: [{ two: 2 }] });
  });

  describe('statements prepared once per text (pglite-prepared.mjs)', () => {
    it('reads every type it is given back as db.query does: nulls, arrays, json, int8, timestamps', async () => {
      const [row] = await sql.query<Record<string, unknown>>(
        `SELECT $1::text AS nothing, $2::uuid[] AS ids, $3::jsonb AS doc, $4::int8 AS big, $5::timestamptz AS at, $6::text[] AS texts`,
        [null, ['00000000-0000-4000-8000-000000000001'], JSON.stringify({ a: [1, 'two'] }), '9007199254740991', '2026-01-02T03:04:05Z', ['x', 'y"z']],
      );
      expect(row).toEqual({
        nothing: null,
        ids: ['00000000-0000-4000-8000-000000000001'],
        doc: { a: [1, 'two'] },
        big: 9007199254740991,
        at: new Date('2026-01-02T03:04:05Z'),
        texts: ['x', 'y"z'],
      });
    });

    it('keeps the error fields of a failing prepared statement, and the statement works again after', async () => {
      await sql.exec('DELETE FROM items');
      const insert = 'INSERT INTO items VALUES ($1, $2)';
      await sql.query(insert, [1, 'one']);
      await expect(sql.query(insert, [1, 'again'])).rejects.toMatchObject({ code: '23505', constraint: 'items_pkey' });
      await expect(sql.query(insert, [2, null])).rejects.toMatchObject({ code: '23502' });
      await sql.query(insert, [2, 'two']);
      expect(await sql.query('SELECT label FROM items ORDER BY id')).toEqual([{ label: 'one' }, { label: 'two' }]);
    });

    it('answers a statement whose table changed shape (a rebuilt read model swapped in) with the new shape', async () => {
      await sql.exec('CREATE TABLE shapes (id int PRIMARY KEY); INSERT INTO shapes VALUES (1)');
      const read = 'SELECT * FROM shapes WHERE id = $1';
      expect(await sql.query(read, [1])).toEqual([{ id: 1 }]);
      await sql.exec(`ALTER TABLE shapes ADD COLUMN label text NOT NULL DEFAULT 'new'`);
      expect(await sql.query(read, [1])).toEqual([{ id: 1, label: 'new' }]);
      // Inside a transaction the refusal stands (the transaction is spoilt); its retry reads the new shape.
      await sql.exec(`ALTER TABLE shapes ADD COLUMN size int NOT NULL DEFAULT 3`);
      await expect(sql.transaction((tx) => tx.query(read, [1]))).rejects.toMatchObject({ code: '0A000' });
      expect(await sql.transaction((tx) => tx.query(read, [1]))).toEqual([{ id: 1, label: 'new', size: 3 }]);
    });

    it('stays right past the number of statements it keeps prepared', async () => {
      const texts = Array.from({ length: 300 }, (_, i) => `SELECT $1::int + ${i} AS n`);
      for (const round of [0, 1]) {
        const results = await Promise.all(texts.map((text) => sql.query<{ n: number }>(text, [round])));
        expect(results.map(([row]) => row!.n)).toEqual(texts.map((_, i) => i + round));
      }
    });
  });

  // yield-on-wake.mjs: the database thread does not cut in on the API thread when it wakes.
  it.runIf(process.platform === 'linux' && existsSync('/usr/bin/chrt'))('runs its database thread under SCHED_BATCH', async () => {
    const policies = () =>
      readdirSync('/proc/self/task').map((task) => {
        const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[38]); // field 41: policy
      });
    const SCHED_BATCH = 3;
    await expect.poll(() => policies().filter((policy) => policy === SCHED_BATCH).length, { timeout: 5000 }).toBeGreaterThan(0);
    // The thread running the tests keeps the default policy.
    expect(policies()[0]).toBe(0);
  });
});
