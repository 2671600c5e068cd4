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
  SubscribeOptions,
} from '../../../contracts/eventstore.ts';
import { comparePositions, formatPosition, maxPosition, type Position } from '../../../contracts/position.ts';
import type { Sql } from '../../../contracts/sql.ts';
import { backoffDelay, sleepUnlessAborted, type Backoff } from '../../retry.ts';
import { assertDistinctIds, assertExpectedRevision, assertStreamId, normalizeExpected, prepareEvents } from '../validation.ts';
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

  async function append(streamId: string, events: readonly EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    assertExpectedRevision(expected);
    const prepared = await prepareEvents(streamId, events);
    assertDistinctIds(streamId, prepared);
    const check = normalizeExpected(expected);
    const kind = typeof check === 'number' ? 'exact' : check;
    let rows: AppendRow[];
    try {
      rows = await sql.query<AppendRow>(APPEND_SQL, [
        streamId,
        kind,
        typeof check === 'number' ? check : null,
        prepared.map((e) => e.id),
        prepared.map((e) => e.type),
        prepared.map((e) => e.data),
        prepared.map((e) => e.metadata),
        prepared.some((e) => e.idGiven),
        false,
      ]);
    } catch (error) {
      throw toAppendError(error, streamId, check);
    }
    const row = rows[0]!;
    const position = formatPosition(row.tx_id, row.global_position);
    if (row.outcome === 'appended') {
      lastAppended = lastAppended === undefined ? position : maxPosition(lastAppended, position);
      wakeup.appended();
    }
    return { nextExpectedRevision: Number(row.revision), position };
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
