/** The port's event filter as a predicate, for adapters that filter on the client side. */
import type { EventFilter } from '../../contracts/eventstore.ts';

/** Types starting with "$" are EventStoreDB's own (system events, link events); readers never see them. */
export const isSystemType = (type: string): boolean => type.startsWith('$');

export function matchesFilter(filter: EventFilter | undefined, type: string, streamId: string): boolean {
  if (isSystemType(type) || streamId.startsWith('$')) return false;
  if (filter?.eventTypes && !filter.eventTypes.includes(type)) return false;
  if (filter?.streamPrefixes && !filter.streamPrefixes.some((prefix) => streamId.startsWith(prefix))) return false;
  return true;
}
