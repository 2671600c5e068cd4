/**
 * Logs written by earlier code, kept as JSON lines under ops/testing/fixtures/logs (one recorded event a line, as
 * the store gave it): read back and appended as they are, ids, data and metadata untouched, into a test's store.
 */
import { readFile } from 'node:fs/promises';
import type { EventMetadata, EventStore, JsonObject } from '../../contracts/eventstore.ts';
import { fixturePath } from './fixture-files.ts';

export interface LoggedEvent {
  id: string;
  streamId: string;
  revision: number;
  type: string;
  data: JsonObject;
  metadata: EventMetadata;
}

/** The events of fixtures/logs/`name`, in log order. */
export async function readOldLog(name: string): Promise<LoggedEvent[]> {
  const text = await readFile(fixturePath(`logs/${name}`), 'utf8');
  return text.trim().split('\n').map((line) => JSON.parse(line) as LoggedEvent);
}

/** Appends them one by one at their recorded stream revisions, as the earlier code wrote them. */
export async function appendAsWritten(store: EventStore, log: readonly LoggedEvent[]): Promise<void> {
  for (const event of log) {
    const { id, type, data, metadata } = event;
    await store.append(event.streamId, [{ id, type, data, metadata }], event.revision === 0 ? 'no_stream' : event.revision - 1);
  }
}
