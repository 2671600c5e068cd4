/**
 * The shape every projector has. A projector turns events into rows of its own tables, inside the transaction the
 * runtime opens for the batch (which also moves its checkpoint). It never calls out: everything it needs is in the
 * events, so a rebuild from the log gives the same rows.
 */
import type { EventFilter, RecordedEvent } from '../../contracts/eventstore.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';

export interface Migration {
  /** 1, 2, 3…: applied once each, in order, recorded in projection_migrations. */
  version: number;
  /** DDL with tables referenced unqualified (a rebuild runs it in a fresh schema). No parameters. */
  sql: string;
}

export interface ProjectionContext {
  projector: string;
  /** True while building into a fresh schema (replay, version change); rows must not depend on it. */
  rebuilding: boolean;
}

export interface Projector {
  /** Stable name: the checkpoint key, the lease key and the `npm run replay -- <name>` argument. */
  name: string;
  /** Bump it when handling changes what rows an event gives: the projection is then rebuilt from the log. */
  version: number;
  migrations: readonly Migration[];
  /** Extensions its tables need (e.g. 'vector'), created in public before its migrations run. */
  extensions?: readonly string[];
  /**
   * Which events reach handle(). Filtered-out events still advance the checkpoint, so waiting for a position works
   * for projectors that ignore most events. Omitted: every event.
   */
  filter?: EventFilter;
  /**
   * Most events handled in one transaction (default: the whole batch). Heavy events (vectors into an HNSW index)
   * keep transactions short: on an embedded database a reader waits for the whole transaction in progress.
   */
  maxEventsPerTransaction?: number;
  /** Handles a batch in log order (never empty). Throwing rolls back the rows and the checkpoint of the batch. */
  handle(events: readonly RecordedEvent[], tx: SqlExecutor, ctx: ProjectionContext): Promise<void>;
}

export const matchesFilter = (filter: EventFilter | undefined, event: RecordedEvent): boolean =>
  !filter ||
  ((!filter.eventTypes || filter.eventTypes.includes(event.type)) &&
    (!filter.streamPrefixes || filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))));

export type EventHandler = (event: RecordedEvent, tx: SqlExecutor, ctx: ProjectionContext) => Promise<void>;

/**
 * The easy way to write a projector: one handler per event type, run one event at a time in log order; the filter
 * is derived from the handled types. Use a batch `handle` (set-based SQL over the whole batch) for high-volume
 * event types where one statement per event is too slow.
 */
export function projectorByEventType(definition: {
  name: string;
  version: number;
  migrations: readonly Migration[];
  handlers: Readonly<Record<string, EventHandler>>;
  streamPrefixes?: readonly string[];
}): Projector {
  const { handlers } = definition;
  const filter: EventFilter = { eventTypes: Object.keys(handlers) };
  if (definition.streamPrefixes) filter.streamPrefixes = definition.streamPrefixes;
  return {
    name: definition.name,
    version: definition.version,
    migrations: definition.migrations,
    filter,
    async handle(events, tx, ctx) {
      for (const event of events) await handlers[event.type]?.(event, tx, ctx);
    },
  };
}

export function assertValidProjector(projector: Projector): void {
  for (const extension of projector.extensions ?? []) {
    if (!/^[a-z_][a-z0-9_]*$/.test(extension)) throw new TypeError(`extension name ${JSON.stringify(extension)}`);
  }
  if (!/^[a-z][a-z0-9_-]{0,40}$/.test(projector.name)) {
    throw new TypeError(`projector name ${JSON.stringify(projector.name)} must match [a-z][a-z0-9_-]{0,40}`);
  }
  const perTransaction = projector.maxEventsPerTransaction;
  if (perTransaction !== undefined && (!Number.isInteger(perTransaction) || perTransaction < 1)) {
    throw new TypeError(`projector ${projector.name}: maxEventsPerTransaction must be a positive integer`);
  }
  if (!Number.isInteger(projector.version) || projector.version < 1) {
    throw new TypeError(`projector ${projector.name}: version must be a positive integer`);
  }
  const versions = projector.migrations.map((migration) => migration.version);
  versions.forEach((version, index) => {
    if (!Number.isInteger(version) || version !== index + 1) {
      throw new TypeError(`projector ${projector.name}: migration versions must be 1, 2, 3… in order`);
    }
  });
}
