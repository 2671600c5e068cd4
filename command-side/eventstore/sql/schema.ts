/**
 * The SQL event store's schema, as numbered migrations applied once each (see migrate.ts).
 *
 * Gap-free global order: every row records the id of the transaction that wrote it (`tx_id`, xid8). Readers return
 * only rows whose transaction is older than the oldest transaction still running
 * (es_horizon() in functions.ts: `pg_snapshot_xmin(pg_current_snapshot())`), and order and
 * checkpoint by (tx_id, global_position). A writer that commits late therefore can never slip a row in behind a
 * reader's checkpoint: rows below the horizon are final.
 *
 * `es_append` makes an append one round trip: lock the stream's row (concurrent appends to one stream serialise),
 * check the expected revision, answer a repeated append of the same event ids with the earlier result, insert,
 * bump the stream's revision. (Its p_notify is kept off: see wake.ts for why the NOTIFY is sent after commit.)
 */
import { appendFunction, horizonFunction, logPageFunction, plainHorizonFunction } from './functions.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export { NOTIFY_CHANNEL, PARTIAL_DUPLICATE, WRONG_EXPECTED_VERSION } from './sqlstates.ts';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, streams, es_append',
    sql: `
CREATE TABLE es_streams (
  stream_id text PRIMARY KEY,
  revision bigint NOT NULL
);
CREATE TABLE es_events (
  global_position bigserial PRIMARY KEY,
  tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  revision bigint NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT es_events_event_id_key UNIQUE (event_id),
  CONSTRAINT es_events_stream_revision_key UNIQUE (stream_id, revision)
);
CREATE INDEX es_events_log_order ON es_events (tx_id, global_position);
${appendFunction(false)}`,
  },
  { version: 2, name: 'es_log_page', sql: logPageFunction('pg_snapshot_xmin(pg_current_snapshot())') },
  {
    version: 3,
    name: 'es_horizon: only transactions that may write events hold readers back',
    sql: horizonFunction + logPageFunction('es_horizon()') + appendFunction(true),
  },
  {
    // Version 3's lock-based horizon lost ~20 of 8,000 events under 8 concurrent writers (pg_locks is read apart
    // from the snapshot): the cluster-wide xmin is slower to advance but never skips a late commit.
    version: 4,
    name: 'es_horizon: back to the oldest running transaction of the cluster',
    sql: plainHorizonFunction,
  },
  {
    // The guard only served version 3's horizon. Without it, appendMany writes several streams in one transaction.
    version: 5,
    name: 'es_append: may be called more than once in a transaction',
    sql: appendFunction(false),
  },
  {
    version: 6,
    name: 'es_append: an append at the revision it names skips the lookup of its event ids',
    sql: appendFunction(false, true),
  },
];
