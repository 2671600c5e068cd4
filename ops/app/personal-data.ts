/**
 * Personal data sealed in the log (contracts/personal-data.ts): the keys in the read-model database (table
 * personal_data_keys, which no projector owns, so replays never touch it) behind an in-memory cache, and the event
 * store wrapped so that everything above it reads whole or erased events. The app and `npm run replay` both open
 * the store through here: a replay must read the log the way the live projectors did.
 */
import { cachedKeys } from '../../command-side/personal-data/cached-keys.ts';
import { protectPersonalData } from '../../command-side/personal-data/protected-event-store.ts';
import { openSqlKeyStore, type PersonalDataKeys } from '../../command-side/personal-data/sql-key-store.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import type { Sql } from '../../contracts/sql.ts';

export interface PersonalData {
  /** The store everything reads and writes through: personal fields sealed on append, opened (or erased) on read. */
  eventStore: EventStore;
  keys: PersonalDataKeys;
}

export async function protectStoredPersonalData(sealedStore: EventStore, readModels: Sql): Promise<PersonalData> {
  const keys = cachedKeys(await openSqlKeyStore(readModels));
  return { eventStore: protectPersonalData(sealedStore, keys), keys };
}
