/**
 * Status changes for the documentStatus subscription. The projector notes the row as it was right after each event
 * (so a batch that carries uploaded -> parsing -> chunking still shows every step, with its progress); the
 * afterCommit hook publishes the notes of a committed batch, in log order, to `documentStatusTopic(kb)`. Notes of a
 * batch that rolled back are overwritten when it is retried, and the feed never grows without bound.
 */
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import type { DocumentRow } from './documents-read-model.ts';

export const documentStatusTopic = (knowledgeBaseId: string) => `documentStatus:${knowledgeBaseId}`;

const MAX_NOTES = 10_000;

export class DocumentStatusFeed {
  private readonly notes = new Map<string, DocumentRow>();

  note(eventId: string, row: DocumentRow): void {
    if (this.notes.size >= MAX_NOTES) this.notes.clear(); // nobody is taking them: no publisher is wired
    this.notes.set(eventId, row);
  }

  /** The rows noted for these events, in their order; forgets them. */
  take(events: readonly RecordedEvent[]): DocumentRow[] {
    const rows: DocumentRow[] = [];
    for (const event of events) {
      const row = this.notes.get(event.id);
      if (!row) continue;
      this.notes.delete(event.id);
      rows.push(row);
    }
    return rows;
  }
}

/** The one feed of this process: the documents projector writes it, the app's afterCommit hook reads it. */
export const documentStatusFeed = new DocumentStatusFeed();

/** An afterCommit hook: publishes the status changes the documents projector just committed. */
export function documentStatusPublisher(publish: (topic: string, payload: unknown) => Promise<void>, projectorName = 'documents') {
  return async (projector: string, events: readonly RecordedEvent[]): Promise<void> => {
    if (projector !== projectorName) return;
    for (const row of documentStatusFeed.take(events)) await publish(documentStatusTopic(row.knowledgeBaseId), row);
  };
}
