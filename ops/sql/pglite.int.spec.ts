/**
 * The embedded PGlite driver sends statements to its worker without waiting for the previous reply (the worker runs
 * them in order): every caller still gets its own result, a transaction is never interleaved with anyone else's
 * statements, and a failure anywhere leaves the connection usable.
 */
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
});
