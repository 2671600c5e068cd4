/**
 * How audit reads the log: one stream's events strictly after a position, in stream order. The server reads its event
 * store (eventStoreReader); the audit CLI reads either the store or a running server's auditTrail (ops/audit), so a
 * turn's trail is built by the same code whichever way its events arrive.
 */
import type { EventStore, RecordedEvent } from '../../contracts/eventstore.ts';
import { comparePositions, type Position } from '../../contracts/position.ts';

export interface StreamReader {
  /** The stream's events after `after` (exclusive; all when undefined), oldest first; [] for a stream with none. */
  eventsAfter(streamId: string, after?: Position): Promise<RecordedEvent[]>;
}

const PAGE = 200;

/**
 * Reads from the event store. With a position it reads backwards from the end until it passes it: audit asks for the
 * events after a turn started, which are near the end of a wallet that may hold thousands of older ones.
 */
export function eventStoreReader(store: Pick<EventStore, 'readStream'>): StreamReader {
  return {
    async eventsAfter(streamId, after) {
      if (after === undefined) return store.readStream(streamId);
      const newestFirst: RecordedEvent[] = [];
      for (let fromRevision: number | undefined; ; ) {
        const page = await store.readStream(streamId, { direction: 'backwards', fromRevision, maxCount: PAGE });
        for (const event of page) {
          if (comparePositions(event.position, after) <= 0) return newestFirst.reverse();
          newestFirst.push(event);
        }
        const oldest = page.at(-1);
        if (page.length < PAGE || !oldest || oldest.revision === 0) return newestFirst.reverse();
        fromRevision = oldest.revision - 1;
      }
    },
  };
}
