/**
 * Events as they come back from the store: each event type declares a zod schema of its data, and a reader parses a
 * recorded event once, where it takes it from the store, so deciders and projectors work on typed events and a
 * malformed one stops with a MalformedEventError naming it instead of travelling on behind a cast.
 * This is also where old events are upcast: data written in an earlier schema version of its type goes through
 * that type's upcasters (upcasters.ts, event-schema-versions.ts) before the current schema checks it.
 */
import type { z } from 'zod';
import { MalformedEventError } from './errors.ts';
import { EVENT_UPCASTERS } from './event-schema-versions.ts';
import type { RecordedEvent } from './eventstore.ts';
import { assertValidChains, upcastData, type UpcasterChains } from './upcasters.ts';

export type EventSchemas = { readonly [type: string]: z.ZodType<object> };

/** The events a schema map describes: one `{ type, data }` per type. */
export type EventsOf<S extends EventSchemas> = {
  [T in keyof S & string]: { type: T; data: z.output<S[T]> };
}[keyof S & string];

/** A recorded event whose data passed its schema: the store's envelope around a typed event. */
export type Parsed<E extends { type: string }> = E & Omit<RecordedEvent, 'type' | 'data'>;

export type EventParser<E extends { type: string }> = (recorded: RecordedEvent) => Parsed<E>;

/**
 * Parses done so far, per recorded event object. The projection runtime hands the same objects to every projector
 * and to the hooks after a commit (projections/runtime/shared-log.ts), so an event is parsed once per process on
 * that hot path however many readers it has. Keyed by schema and upcasters too: a reader expecting others parses
 * anew.
 */
const parsed = new WeakMap<RecordedEvent, { schema: z.ZodType; upcasters: UpcasterChains; event: object }>();

const MAX_ISSUES = 5;

function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, MAX_ISSUES).map((issue) => `${['data', ...issue.path].join('.')}: ${issue.message}`);
  if (error.issues.length > MAX_ISSUES) issues.push(`and ${error.issues.length - MAX_ISSUES} more`);
  return issues.join('; ');
}

/**
 * A parser of the given event types: any other type, or data its schema refuses (after upcasting), throws
 * MalformedEventError. `upcasters`: the product's (EVENT_UPCASTERS) unless a test gives its own.
 */
export function eventParser<S extends EventSchemas>(
  schemas: S,
  upcasters: UpcasterChains = EVENT_UPCASTERS,
): EventParser<EventsOf<S>> {
  assertValidChains(upcasters);
  const expected = Object.keys(schemas).join(', ');
  return (recorded) => {
    const schema = Object.hasOwn(schemas, recorded.type) ? schemas[recorded.type]! : undefined;
    if (!schema) throw new MalformedEventError(recorded, `is none of the expected types (${expected})`);
    const seen = parsed.get(recorded);
    if (seen?.schema === schema && seen.upcasters === upcasters) return seen.event as Parsed<EventsOf<S>>;
    const result = schema.safeParse(upcastData(upcasters, recorded));
    if (!result.success) throw new MalformedEventError(recorded, `does not match its schema: ${describeIssues(result.error)}`);
    // The one cast of event data: the schema of this very type has just accepted it.
    const event = { ...recorded, data: result.data } as Parsed<EventsOf<S>>;
    parsed.set(recorded, { schema, upcasters, event });
    return event;
  };
}
