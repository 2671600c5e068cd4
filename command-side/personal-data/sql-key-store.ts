/**
 * The subjects' keys, in table personal_data_keys of the read-model database (docs/ARCHITECTURE.md, "Personal data
 * and erasure", says why there). No projector owns the table, so a replay, a --swap or a projector's rebuild never
 * touches it; it is created here like the reactors' checkpoint table.
 *
 * A shredded key leaves its row behind with key NULL (a tombstone): the subject is known to be erased, so nothing is
 * ever sealed under a new key for it, and old events written in clear before sealing existed read as erased too.
 */
import { ensureTable } from '../../contracts/ddl-lock.ts';
import type { KeyShredder } from '../../contracts/personal-data.ts';
import type { Sql } from '../../contracts/sql.ts';
import { newKey } from './seal.ts';

/** A subject's key, SHREDDED once erased, or NO_KEY when none was ever made (its events were written in clear). */
export type KeyState = Buffer | typeof SHREDDED | typeof NO_KEY;
export const SHREDDED = 'shredded';
export const NO_KEY = 'none';

export interface PersonalDataKeys extends KeyShredder {
  /** Each subject's key as it is now (`fresh`: asked of the store, whatever a cache in front of it remembers). */
  keysToRead(subjects: readonly string[], options?: { fresh?: boolean }): Promise<Map<string, KeyState>>;
  /** Each subject's key, made now where there is none; SHREDDED subjects get no new key. */
  keysToWrite(subjects: readonly string[]): Promise<Map<string, Buffer | typeof SHREDDED>>;
}

const TABLE = `
  CREATE TABLE IF NOT EXISTS personal_data_keys (
    subject text PRIMARY KEY,
    -- base64 of 32 random bytes; NULL once shredded
    key text,
    created_at timestamptz NOT NULL DEFAULT now(),
    shredded_at timestamptz,
    CHECK ((key IS NULL) = (shredded_at IS NOT NULL))
  )`;

type Row = { subject: string; key: string | null };

const stateOf = (row: Row): Buffer | typeof SHREDDED => (row.key === null ? SHREDDED : Buffer.from(row.key, 'base64'));

export async function openSqlKeyStore(sql: Sql): Promise<PersonalDataKeys> {
  await ensureTable(sql, TABLE);

  const read = async (subjects: readonly string[]): Promise<Map<string, KeyState>> => {
    const found = new Map<string, KeyState>(subjects.map((subject) => [subject, NO_KEY]));
    if (subjects.length === 0) return found;
    const rows = await sql.query<Row>(`SELECT subject, key FROM personal_data_keys WHERE subject = ANY($1::text[])`, [
      [...new Set(subjects)],
    ]);
    for (const row of rows) found.set(row.subject, stateOf(row));
    return found;
  };

  return {
    keysToRead: read,

    async keysToWrite(subjects) {
      const found = await read(subjects);
      const missing = [...found].filter(([, state]) => state === NO_KEY).map(([subject]) => subject);
      if (missing.length > 0) {
        // Two writers may make a key for one subject at once: the first insert wins and both read it back.
        await sql.query(
          `INSERT INTO personal_data_keys (subject, key) SELECT * FROM unnest($1::text[], $2::text[])
           ON CONFLICT (subject) DO NOTHING`,
          [missing, missing.map(() => newKey().toString('base64'))],
        );
        for (const [subject, state] of await read(missing)) found.set(subject, state);
      }
      return new Map([...found].map(([subject, state]) => [subject, state as Buffer | typeof SHREDDED]));
    },

    async shred(subjects) {
      if (subjects.length === 0) return;
      await sql.query(
        `INSERT INTO personal_data_keys (subject, key, shredded_at) SELECT s, NULL, now() FROM unnest($1::text[]) AS s
         ON CONFLICT (subject) DO UPDATE
           SET key = NULL, shredded_at = COALESCE(personal_data_keys.shredded_at, EXCLUDED.shredded_at)`,
        [[...new Set(subjects)]],
      );
    },
  };
}
