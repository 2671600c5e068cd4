/**
 * The ingestion queue as the documents read model shows it: documents uploaded and not yet indexed, failed or
 * deleted, by the step they are in (metrics: the ingestion queue depth). Scans the table; meant for a scrape every
 * few seconds, not for a request path.
 */
import type { DocumentStatus } from '../../contracts/documents.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';

/** The statuses of a document still on its way through the pipeline, in pipeline order. */
export const IN_FLIGHT_STATUSES = ['uploaded', 'parsing', 'chunking', 'embedding'] as const satisfies readonly DocumentStatus[];
export type InFlightStatus = (typeof IN_FLIGHT_STATUSES)[number];

/** Documents in flight per status; every in-flight status is present (0 when none). */
export async function ingestionQueue(sql: SqlExecutor): Promise<Record<InFlightStatus, number>> {
  const rows = await sql.query<{ status: InFlightStatus; n: number | string }>(
    `SELECT status, count(*) AS n FROM documents WHERE status IN ('uploaded', 'parsing', 'chunking', 'embedding') GROUP BY status`,
  );
  const queue = Object.fromEntries(IN_FLIGHT_STATUSES.map((status) => [status, 0])) as Record<InFlightStatus, number>;
  for (const row of rows) queue[row.status] = Number(row.n);
  return queue;
}
