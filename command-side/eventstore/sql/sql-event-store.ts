/**
 * The SQL event store: one code path for PGlite (embedded) and a real Postgres server. See schema.ts for how the
 * global order stays gap-free under concurrent writers.
 */
import type {
  AppendResult,
  EventData,
  EventFilter,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
} from '../../../contracts/eventstore.ts';
import { comparePositions, formatPosition, maxPosition, type Position } from '../../../contracts/position.ts';
import { SqlError, type Sql } from '../../../contracts/sql.ts';
import { backoffDelay, sleepUnlessAborted, type Backoff } from '../../retry.ts';
import { assertDistinctIds, assertDistinctIdsAcross, assertExpectedRevision, assertStreamId, normalizeExpected, prepareEvents } from '../validation.ts';
import { toAppendError } from './errors.ts';
import { readLogPage } from './log-page.ts';
import { migrateEventStore } from './migrate.ts';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows.ts';
import { SqlSubscription, type SubscriptionTiming } from './subscription.ts';
import { Wakeup } from './wake.ts';

export interface SqlEventStoreOptions extends Partial<SubscriptionTiming> {
  /** Close the Sql when the store closes (openEventStore owns the Sql it creates). */
  ownsSql?: boolean;
  /** NOTIFY other processes after each append and LISTEN for theirs. Default: on for Postgres, off for PGlite. */
  crossProcess?: boolean;
  /** Longest wait of readAll/headPosition for this process's own appends to become visible. */
  readYourWritesMs?: number;
}

/** Waiting for an older transaction to commit so this process reads its own appends: 1, 2, 4 ... 50 ms. */
const OWN_WRITES_POLL: Backoff = { firstDelayMs: 1, maxDelayMs: 50, jitter: 0 };

const APPEND_SQL = `SELECT outcome, revision, tx_id, global_position
  FROM es_append($1, $2, $3, $4::uuid[], $5::text[], $6::text[], $7::text[], $8, $9)`;

/**
 * Before an appendMany's appends on a server with concurrent writers: its streams' rows, created and then locked in
 * one order (by name) for every writer. es_append locks each stream as it comes, so two appendMany writing the same
 * streams in different orders would otherwise deadlock (seen in concurrency.int.spec.ts: Postgres aborts one after
 * a second). A single append takes one lock and cannot be part of a cycle.
 */
const CREATE_STREAMS_SQL = `INSERT INTO es_streams (stream_id, revision)
  SELECT s, -1 FROM unnest($1::text[]) AS s ORDER BY s ON CONFLICT DO NOTHING`;
const LOCK_STREAMS_SQL = `SELECT 1 FROM es_streams WHERE stream_id = ANY ($1::text[]) ORDER BY stream_id FOR UPDATE`;

type AppendRow = { outcome: string; revision: number; tx_id: string; global_position: number };

export async function createSqlEventStore(sql: Sql, options: SqlEventStoreOptions = {}): Promise<EventStore> {
  await migrateEventStore(sql);
  const crossProcess = options.crossProcess ?? sql.dialect === 'postgres';
  const wakeup = new Wakeup(sql, crossProcess);
  const timing: SubscriptionTiming = {
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    heldBackMaxDelayMs: options.heldBackMaxDelayMs ?? 50,
    maxPage: options.maxPage ?? (sql.dialect === 'pglite' ? 500 : 1000),
  };
  const subscriptions = new Set<SqlSubscription>();
  let closed = false;
  let lastAppended: Position | undefined;
  const readYourWritesMs = options.readYourWritesMs ?? 5000;

  /** Checks an append and serialises its events: es_append's parameters. */
  async function appendStatement({ streamId, events, expected }: StreamAppend) {
    assertExpectedRevision(expected);
    const prepared = await prepareEvents(streamId, events);
    const check = normalizeExpected(expected);
    const params = [
      streamId,
      typeof check === 'number' ? 'exact' : check,
      typeof check === 'number' ? check : null,
      prepared.map((e) => e.id),
      prepared.map((e) => e.type),
      prepared.map((e) => e.data),
      prepared.map((e) => e.metadata),
      prepared.some((e) => e.idGiven),
      false,
    ];
    return { streamId, check, params, events: prepared };
  }

  function appended(rows: readonly AppendRow[]): AppendResult {
    const row = rows[0]!;
    const position = formatPosition(row.tx_id, row.global_position);
    if (row.outcome === 'appended') {
      lastAppended = lastAppended === undefined ? position : maxPosition(lastAppended, position);
      wakeup.appended();
    }
    return { nextExpectedRevision: Number(row.revision), position };
  }

  async function append(streamId: string, events: readonly EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    const statement = await appendStatement({ streamId, events, expected });
    assertDistinctIds(streamId, statement.events);
    try {
      return appended(await sql.query<AppendRow>(APPEND_SQL, statement.params));
    } catch (error) {
      throw toAppendError(error, streamId, statement.check);
    }
  }

  async function appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const statements = [];
    for (const part of appends) statements.push(await appendStatement(part));
    assertDistinctIdsAcross(statements);
    if (statements.length === 0) return [];
    const streams = [...new Set(statements.map((s) => s.streamId))];
    // PGlite has one connection: its transactions never wait for each other.
    const locks =
      sql.dialect === 'postgres' && streams.length > 1
        ? [
            { text: CREATE_STREAMS_SQL, params: [streams] },
            { text: LOCK_STREAMS_SQL, params: [streams] },
          ]
        : [];
    try {
      const results = await sql.batch([...locks, ...statements.map(({ params }) => ({ text: APPEND_SQL, params }))]);
      return results.slice(locks.length).map((rows) => appended(rows as AppendRow[]));
    } catch (error) {
      const failed = statements[Math.max(0, ((error instanceof SqlError && error.statement) || 0) - locks.length)]!;
      throw toAppendError(error, failed.streamId, failed.check);
    }
  }

  async function readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamId(streamId);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const rows = await sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events e
        WHERE e.stream_id = $1 AND e.revision ${backwards ? '<=' : '>='} $2::text::bigint
        ORDER BY e.revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [streamId, String(from), options.maxCount ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  /**
   * Reads a log page, waiting (briefly, bounded) until this process's own appends are visible: an older appending
   * transaction still open (another writer) holds newer commits back, and a caller that just appended expects to
   * read its events.
   */
  async function readOwnWrites(after: Position | undefined, max: number | null, filter: EventFilter | undefined) {
    const deadline = Date.now() + readYourWritesMs;
    for (let polls = 1; ; polls++) {
      const page = await readLogPage(sql, after, max, filter);
      const covered = lastAppended === undefined || comparePositions(page.head, lastAppended) >= 0;
      if (covered || !page.heldBack || Date.now() > deadline) return page;
      await sleepUnlessAborted(backoffDelay(OWN_WRITES_POLL, polls));
    }
  }

  async function readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return (await readOwnWrites(options.after, options.maxCount ?? null, options.filter)).events;
  }

  async function headPosition(): Promise<Position> {
    return (await readOwnWrites(undefined, 0, undefined)).head;
  }

  function subscribeToAll(options: SubscribeOptions = {}): SqlSubscription {
    const subscription = new SqlSubscription(sql, wakeup, timing, options.filter, options.after, (s) =>
      subscriptions.delete(s),
    );
    if (closed) void subscription.close();
    else subscriptions.add(subscription);
    return subscription;
  }

  return {
    kind: sql.dialect,
    append,
    appendMany,
    readStream,
    readAll,
    subscribeToAll,
    headPosition,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.close()));
      await wakeup.close();
      if (options.ownsSql) await sql.close();
    },
  };
}
