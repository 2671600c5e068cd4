/**
 * Makes sure every erasure recorded in the log is carried out: follows UserErased and DocumentDeleted and shreds
 * the keys they name. The commands shred at once after appending (their answer means "done"); this reactor covers
 * a process that died between the append and the shred, and, on its first run, the documents deleted before
 * sealing existed: their revisions get tombstones, so their texts written in clear read as erased from then on.
 * Shredding is idempotent, so a batch handled twice (crash before the checkpoint) changes nothing.
 */
import type { EventStore } from '../../contracts/eventstore.ts';
import { ERASURE_EVENT_TYPES, subjectsErasedBy, type KeyShredder } from '../../contracts/personal-data.ts';
import type { Sql } from '../../contracts/sql.ts';
import { documentStream, userStream } from '../../contracts/streams.ts';
import { startReactor, type Reactor } from '../reactor.ts';

const REACTOR = 'personal-data-erasures';

export interface ErasureShredderDeps {
  store: EventStore;
  keys: KeyShredder;
  /** Where the checkpoint lives (the read-model database). */
  sql: Sql;
  onError?: (error: unknown) => void;
}

export function startErasureShredder(deps: ErasureShredderDeps): Promise<Reactor> {
  return startReactor({
    name: REACTOR,
    store: deps.store,
    sql: deps.sql,
    filter: { eventTypes: ERASURE_EVENT_TYPES, streamPrefixes: [userStream(''), documentStream('')] },
    async handle(batch) {
      await deps.keys.shred(batch.flatMap(subjectsErasedBy));
    },
    ...(deps.onError && { onError: deps.onError }),
  });
}
