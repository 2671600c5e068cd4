/**
 * One statement that reads a page of the global log after a position and, from the same snapshot, the newest
 * visible position and whether committed rows are being held back by an older transaction still running.
 */
import type { EventFilter, RecordedEvent } from '../../../contracts/eventstore.ts';
import { formatPosition, type Position } from '../../../contracts/position.ts';
import type { SqlExecutor } from '../../../ops/sql/types.ts';
import { EVENT_COLUMNS, filterParams, logPageWhere, positionParams, toRecordedEvent, type EventRow } from './rows.ts';

export interface LogPage {
  events: RecordedEvent[];
  /** Newest position visible to readers when the page was read; START-like "0-0" when the log is empty. */
  head: Position;
  /** Committed rows exist beyond the horizon: an older transaction is still open; they appear once it ends. */
  heldBack: boolean;
}

const PAGE_SQL = `
SELECT p.*, hd.tx_id AS head_tx, hd.global_position AS head_gp,
       EXISTS (SELECT 1 FROM es_events x WHERE x.tx_id >= hz.xmin) AS held_back
  FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) hz
  LEFT JOIN LATERAL (
    SELECT x.tx_id::text AS tx_id, x.global_position FROM es_events x
     WHERE x.tx_id < hz.xmin ORDER BY x.tx_id DESC, x.global_position DESC LIMIT 1) hd ON true
  LEFT JOIN LATERAL (
    SELECT ${EVENT_COLUMNS}, e.tx_id AS ord_tx FROM es_events e
     WHERE ${logPageWhere('hz.xmin')}
     ORDER BY e.tx_id, e.global_position LIMIT $5) p ON true
 ORDER BY p.ord_tx, p.global_position`;

type PageRow = EventRow & { head_tx: string | null; head_gp: number | null; held_back: boolean };

export async function readLogPage(
  sql: SqlExecutor,
  after: Position | undefined,
  max: number | null,
  filter: EventFilter | undefined,
): Promise<LogPage> {
  const rows = await sql.query<PageRow>(PAGE_SQL, [...positionParams(after), ...filterParams(filter), max]);
  const first = rows[0];
  const head = first?.head_tx != null ? formatPosition(first.head_tx, first.head_gp ?? 0) : '0-0';
  const events = rows.filter((row) => row.event_id != null).map(toRecordedEvent);
  return { events, head, heldBack: first?.held_back === true };
}
