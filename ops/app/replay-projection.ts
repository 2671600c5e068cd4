/**
 * Replaying one projection from the log (npm run replay, and the running server's replay jobs): rebuild into fresh
 * tables, optionally verify them against the live tables at the live checkpoint, optionally swap them in.
 */
import type { EventStore } from '../../contracts/eventstore.ts';
import { parsePosition, type Position } from '../../contracts/position.ts';
import type { Sql } from '../../contracts/sql.ts';
import { readCheckpoint } from '../../projections/runtime/checkpoints.ts';
import { catchUpRebuild, rebuildProjection, swapRebuild, verifyRebuild, type Projector } from '../../projections/runtime/index.ts';

export interface ReplayOptions {
  verify: boolean;
  swap: boolean;
}

export type ReplayPhase = 'rebuilding' | 'verifying' | 'swapping';

export interface ReplayProgress {
  phase: ReplayPhase;
  events: number;
  /** 0..1 of the log read (by log position; a good estimate, exact at the end). */
  fraction: number;
}

export interface ReplayOutcome {
  schema: string;
  events: number;
  ms: number;
  eventsPerSecond: number;
  position: Position;
  /** With verify: equal to the live tables, and what differs. */
  equal?: boolean;
  differences: string[];
  /** With swap: the live checkpoint after the swap. */
  swappedAt?: Position;
}

async function liveCheckpoint(sql: Sql, projector: Projector): Promise<Position | undefined> {
  try {
    return (await sql.transaction((tx) => readCheckpoint(tx, projector.name)))?.position;
  } catch {
    return undefined; // no projector has ever run against this database
  }
}

/** How far `position` is towards `end`: positions grow with the log (a sequence, or EventStoreDB's byte offsets). */
export function fractionOf(position: Position, end: Position | undefined): number {
  if (!end) return 1;
  const target = parsePosition(end).prepare;
  if (target === 0n) return 1;
  return Math.min(1, Number(parsePosition(position).prepare) / Number(target));
}

export async function replayProjection(
  sql: Sql,
  eventStore: EventStore,
  projector: Projector,
  options: ReplayOptions,
  onProgress: (progress: ReplayProgress) => void = () => undefined,
): Promise<ReplayOutcome> {
  const target = { sql, eventStore, projector };
  // To compare, the rebuild must stand where the live tables stand: stop there, then catch up for a swap.
  const until = options.verify ? await liveCheckpoint(sql, projector) : undefined;
  const end = until ?? (await eventStore.headPosition());
  onProgress({ phase: 'rebuilding', events: 0, fraction: 0 });
  const rebuilt = await rebuildProjection(
    { ...target, onProgress: ({ events, position }) => onProgress({ phase: 'rebuilding', events, fraction: fractionOf(position, end) }) },
    until,
  );
  const outcome: ReplayOutcome = {
    schema: rebuilt.schema,
    events: rebuilt.events,
    ms: rebuilt.ms,
    eventsPerSecond: Math.round(rebuilt.events / Math.max(rebuilt.ms / 1000, 0.001)),
    position: rebuilt.position,
    differences: [],
  };
  if (options.verify) {
    onProgress({ phase: 'verifying', events: rebuilt.events, fraction: 1 });
    const result = await verifyRebuild({ ...target, schema: rebuilt.schema });
    outcome.equal = result.equal;
    if (result.reason) outcome.differences.push(result.reason);
    for (const table of result.tables) {
      if (table.missingLive) outcome.differences.push(`${table.table}: missing in live`);
      else if (table.onlyLive || table.onlyRebuilt) outcome.differences.push(`${table.table}: ${table.onlyLive} rows only live, ${table.onlyRebuilt} only rebuilt`);
    }
  }
  if (options.swap) {
    onProgress({ phase: 'swapping', events: rebuilt.events, fraction: 1 });
    await catchUpRebuild({ ...target, schema: rebuilt.schema });
    outcome.swappedAt = (await swapRebuild(sql, projector, rebuilt.schema)).position;
  }
  return outcome;
}
