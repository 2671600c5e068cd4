/**
 * Sql.batch on both drivers: statements in order in one transaction, each one's rows back, all or none, and the
 * index of the statement that failed. A batch is never interleaved with other statements sent meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlError, type Sql } from '../../contracts/sql.ts';
import { createTestPglite, createTestPostgres, type TestDatabase } from '../testing/databases.ts';

describe.each(['pglite', 'postgres'] as const)('Sql.batch on %s', (dialect) => {
  let sql: Sql;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (dialect === 'pglite') sql = await createTestPglite();
    else sql = (database = await createTestPostgres()).sql;
    await sql.exec('CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)');
  });
  afterAll(async () => {
    if (database) await database.drop();
    else await sql?.close();
  });

  const ids = async () => (await sql.query<{ id: number }>('SELECT id FROM items ORDER BY id')).map((row) => row.id);

  it('runs the statements in order and gives each its rows', async () => {
    await sql.exec('DELETE FROM items');
    const results = await sql.batch([
      { text: 'INSERT INTO items VALUES ($1, $2) RETURNING id', params: [1, 'one'] },
      { text: 'INSERT INTO items VALUES ($1, $2) RETURNING id', params: [2, 'two'] },
      { text: 'SELECT count(*)::int AS n FROM items' },
    ]);
    expect(results).toEqual([[{ id: 1 }], [{ id: 2 }], [{ n: 2 }]]);
  });

  it('applies nothing when one statement fails, and names it', async () => {
    await sql.exec('DELETE FROM items');
    const failed = sql.batch([
      { text: 'INSERT INTO items VALUES ($1, $2)', params: [1, 'kept?'] },
      { text: 'INSERT INTO items VALUES ($1, $2)', params: [2, 'kept?'] },
      { text: 'INSERT INTO items VALUES ($1, $2)', params: [1, 'duplicate'] },
      { text: 'INSERT INTO items VALUES ($1, $2)', params: [3, 'never run'] },
    ]);
    await expect(failed).rejects.toBeInstanceOf(SqlError);
    await expect(failed).rejects.toMatchObject({ code: '23505', statement: 2 });
    expect(await ids()).toEqual([]);
    // The connection goes on.
    await sql.batch([{ text: 'INSERT INTO items VALUES ($1, $2)', params: [4, 'after'] }]);
    expect(await ids()).toEqual([4]);
  });

  it('runs a statement prepared before its table changed shape: prepared again, nothing applied twice', async () => {
    await sql.exec('CREATE TABLE reshaped (id int PRIMARY KEY)');
    const insertAndList = (id: number) => [
      { text: 'INSERT INTO reshaped (id) VALUES ($1)', params: [id] },
      { text: 'SELECT * FROM reshaped ORDER BY id' },
    ];
    expect(await sql.batch(insertAndList(1))).toEqual([[], [{ id: 1 }]]);
    await sql.exec('ALTER TABLE reshaped ADD COLUMN note text');
    expect(await sql.batch(insertAndList(2))).toEqual([[], [{ id: 1, note: null }, { id: 2, note: null }]]);
  });

  it('is seen whole or not at all by statements sent meanwhile', async () => {
    await sql.exec('DELETE FROM items');
    const inserts = Array.from({ length: 50 }, (_, i) => ({ text: 'INSERT INTO items VALUES ($1, $2)', params: [i, `item ${i}`] }));
    const counts = await Promise.all([
      sql.query<{ n: number }>('SELECT count(*)::int AS n FROM items'),
      sql.batch(inserts).then(() => sql.query<{ n: number }>('SELECT count(*)::int AS n FROM items')),
      sql.query<{ n: number }>('SELECT count(*)::int AS n FROM items'),
    ]);
    for (const [row] of counts) expect([0, 50]).toContain(row!.n);
    expect(counts[1]).toEqual([{ n: 50 }]);
  });
});
