/**
 * Versioned upcasters: how an event type's data changed over time, so that a log written by older code still
 * replays. The log is never rewritten; old events are read into the current shape where they are parsed
 * (event-parser.ts), so deciders, projectors and the audit all see one shape per type.
 *
 * - Every event records the schema version of its data in its metadata (`schemaVersion`); an event without it was
 *   written before its type ever changed: version 1. Appends are marked with the current versions
 *   (event-schema-versions.ts, applied by the command side's one append loop).
 * - A type's history is a chain of steps, version 1 -> 2 -> 3 …; its current version is one more than its steps.
 *   Reading an event applies the steps from its recorded version on. A step is pure and total: the old data alone
 *   decides the new (so a rebuild always reads the same thing), and it never fails on data its version wrote.
 * - An event written by a newer version than this code knows (a rolling deploy, an older process still running)
 *   is refused with MalformedEventError, not guessed at.
 */
import { MalformedEventError } from './errors.ts';
import type { EventData, JsonObject, RecordedEvent } from './eventstore.ts';

/** The metadata key holding the schema version an event's data was written in (absent: version 1). */
export const SCHEMA_VERSION_KEY = 'schemaVersion';

/** One step of a type's history: data as version `from` wrote it, into the data of version `from + 1`. */
export interface Upcaster {
  from: number;
  upcast(data: JsonObject): JsonObject;
}

/** Event type -> its steps from version 1 on, in order. Types that never changed are absent. */
export type UpcasterChains = { readonly [type: string]: readonly Upcaster[] };

/** Refuses a chain with a gap or out of order: the versions it reads would be ambiguous. */
export function assertValidChains(chains: UpcasterChains): void {
  for (const [type, steps] of Object.entries(chains)) {
    steps.forEach((step, index) => {
      if (step.from !== index + 1) {
        throw new TypeError(`upcasters of ${type} must go from version 1, 2, 3… in order; step ${index + 1} is from ${step.from}`);
      }
    });
  }
}

export const currentSchemaVersion = (chains: UpcasterChains, type: string): number =>
  1 + (Object.hasOwn(chains, type) ? chains[type]!.length : 0);

function recordedSchemaVersion(recorded: RecordedEvent): number {
  const version = recorded.metadata?.[SCHEMA_VERSION_KEY];
  if (version === undefined) return 1;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new MalformedEventError(recorded, `has an invalid ${SCHEMA_VERSION_KEY} ${JSON.stringify(version)}`);
  }
  return version;
}

/** The recorded event's data in the current shape of its type (the same object when its type never changed). */
export function upcastData(chains: UpcasterChains, recorded: RecordedEvent): JsonObject {
  const steps = Object.hasOwn(chains, recorded.type) ? chains[recorded.type]! : [];
  const version = recordedSchemaVersion(recorded);
  const current = steps.length + 1;
  if (version > current) {
    throw new MalformedEventError(
      recorded,
      `was written in schema version ${version}, newer than this code reads (${current}): update this process`,
    );
  }
  return steps.slice(version - 1).reduce((data, step) => step.upcast(data), recorded.data);
}

/** An event as the current code writes it: marked with its type's schema version once that is past 1. */
export function withSchemaVersion<E extends EventData>(chains: UpcasterChains, event: E): E {
  const version = currentSchemaVersion(chains, event.type);
  if (version === 1) return event;
  return { ...event, metadata: { ...event.metadata, [SCHEMA_VERSION_KEY]: version } };
}
