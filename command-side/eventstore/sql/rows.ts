/** The SELECT list every read uses and its mapping to RecordedEvent (one place, both drivers). */
import type { EventMetadata, JsonObject, RecordedEvent } from '../../../contracts/eventstore.ts';
import { formatPosition, parsePosition, type Position } from '../../../contracts/position.ts';
import type { EventFilter } from '../../../contracts/eventstore.ts';

export const EVENT_COLUMNS =
  'e.global_position, e.tx_id::text AS tx_id, e.stream_id, e.revision, e.event_id::text AS event_id, ' +
  'e.type, e.data, e.metadata, e.created_at';

export interface EventRow {
  [key: string]: unknown;
  global_position: number;
  tx_id: string;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  created_at: unknown;
}

const asJson = (value: unknown): JsonObject =>
  (typeof value === 'string' ? JSON.parse(value) : (value ?? {})) as JsonObject;

const asIso = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  type: row.type,
  data: asJson(row.data),
  metadata: asJson(row.metadata) as EventMetadata,
  streamId: row.stream_id,
  revision: Number(row.revision),
  position: formatPosition(row.tx_id, row.global_position),
  createdAt: asIso(row.created_at),
});

/** A log position as the two SQL parameters ($n::text::xid8, $m::text::bigint). */
export function positionParams(position: Position | undefined): [string, string] {
  if (position === undefined) return ['0', '0'];
  const { commit, prepare } = parsePosition(position);
  return [commit.toString(), prepare.toString()];
}

const escapeLike = (prefix: string) => prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';

/** Filter parameters: null means "no filter" (an empty list filters everything out). */
export function filterParams(filter: EventFilter | undefined): [string[] | null, string[] | null] {
  return [
    filter?.eventTypes ? [...filter.eventTypes] : null,
    filter?.streamPrefixes ? filter.streamPrefixes.map(escapeLike) : null,
  ];
}
