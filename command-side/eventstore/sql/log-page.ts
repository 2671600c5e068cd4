/**
 * Reads a page of the global log after a position and, from the same snapshot, the newest visible position and
 * whether committed rows are being held back by an older transaction still running (es_log_page in schema.ts).
 */
import type { EventFilter, RecordedEvent } from '../../../contracts/eventstore.ts';
import { formatPosition, type Position } from '../../../contracts/position.ts';
import type { SqlExecutor } from '../../../contracts/sql.ts';
import { filterParams, positionParams, toRecordedEvent, type EventRow } from './rows.ts';

export interface LogPage {
  events: RecordedEvent[];
  /** Newest position visible to readers when the page was read; "0-0" when the log is empty. */
  head: Position;
  /** Committed rows exist beyond the horizon: an older transaction is still open; they appear once it ends. */
  heldBack: boolean;
}

const PAGE_SQL = 'SELECT * FROM es_log_page($1::text::xid8, $2::text::bigint, $3::text[], $4::text[], $5::int)';

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
