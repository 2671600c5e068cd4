/**
 * The raw engine the event store is compared with: the same rows in tables shaped like the store's (same columns,
 * defaults and indexes), appended 100 at a time with the same revision check, in one statement and one round trip
 * per append, as es_append is one call.
 *
 * The statement runs inside a PL/pgSQL function, as es_append does, so both sides make the same kind of call and
 * both plans are cached by PL/pgSQL. (Before the PGlite driver prepared each statement text once, a bare statement
 * was parsed and planned on every call, ~0.4 ms of a ~3 ms append, and the comparison measured planning.)
 */
import { randomUUID } from 'node:crypto';
import type { EventData } from '../../contracts/eventstore.ts';
import type { Sql } from '../../contracts/sql.ts';

/**
 * The UPDATE bumps the stream's revision only from the expected one (it locks the row, so appends to one stream
 * serialise, and re-checks the revision after waiting for a concurrent one), or the INSERT creates the stream when
 * none is expected; the events go in at the revisions after it. No stream row moved = the stream was elsewhere:
 * nothing is written, as es_append refuses with WRONG_EXPECTED_VERSION. What es_append does besides (duplicate-id
 * check, first-write guard) is the store's cost and stays out of the baseline.
 */
const RAW_SCHEMA = `
CREATE TABLE IF NOT EXISTS raw_streams (LIKE es_streams INCLUDING ALL);
CREATE TABLE IF NOT EXISTS raw_events (LIKE es_events INCLUDING ALL);
CREATE OR REPLACE FUNCTION raw_append(
  p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data text[], p_meta text[], p_count int)
RETURNS int LANGUAGE plpgsql AS $fn$
DECLARE v_appended int;
BEGIN
  WITH bumped AS (
    UPDATE raw_streams SET revision = revision + p_count
     WHERE stream_id = p_stream AND revision = p_expected AND p_expected >= 0
    RETURNING revision - p_count AS previous
  ), created AS (
    INSERT INTO raw_streams (stream_id, revision) SELECT p_stream, p_count - 1 WHERE p_expected = -1
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING -1::bigint AS previous
  ), at AS (
    SELECT previous FROM bumped UNION ALL SELECT previous FROM created
  ), inserted AS (
    INSERT INTO raw_events (stream_id, revision, event_id, type, data, metadata)
    SELECT p_stream, at.previous + t.ord, t.id, t.type, t.data::jsonb, t.meta::jsonb
      FROM at, unnest(p_ids, p_types, p_data, p_meta) WITH ORDINALITY AS t(id, type, data, meta, ord)
     ORDER BY t.ord
    RETURNING 1
  )
  SELECT count(*)::int INTO v_appended FROM inserted;
  RETURN v_appended;
END
$fn$;`;

/** Creates the raw engine's tables and function; outside any timing. */
export const prepareRaw = (sql: Sql): Promise<void> => sql.exec(RAW_SCHEMA);

/** One append of the raw engine, autocommitted; throws when the stream is not at `expected`. */
export async function appendRaw(sql: Sql, stream: string, events: readonly EventData[], expected: number | 'no_stream') {
  const rows = await sql.query<{ appended: number }>(
    'SELECT raw_append($1, $2, $3::uuid[], $4::text[], $5::text[], $6::text[], $7) AS appended',
    [
      stream,
      expected === 'no_stream' ? -1 : expected,
      events.map(() => randomUUID()),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata ?? {})),
      events.length,
    ],
  );
  if (rows[0]?.appended !== events.length) throw new Error(`raw: ${stream} is not at revision ${expected}`);
}
