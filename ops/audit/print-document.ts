/**
 * `npm run audit -- document <id>`: the document's events in order (upload, parsing, chunks, embedding, indexed or
 * failed, re-index, delete), each with the status it leaves the document in, as the documents read model shows it.
 */
import type { DocumentStatus } from '../../contracts/documents.ts';
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { describeEvent, eventLines } from './describe-event.ts';

/** The status after each event type (projections/documents/documents-projector.ts follows the same steps). */
const STATUS_AFTER: Readonly<Record<string, DocumentStatus>> = {
  DocumentUploaded: 'uploaded',
  DocumentReindexRequested: 'uploaded',
  DocumentParsingStarted: 'parsing',
  DocumentParsed: 'chunking',
  DocumentChunked: 'embedding',
  ChunksEmbedded: 'embedding',
  DocumentIndexed: 'indexed',
  DocumentFailed: 'failed',
  DocumentDeleted: 'deleted',
};

export function documentLines(documentId: string, events: readonly RecordedEvent[]): string[] {
  const lines = [`document ${documentId}: ${events.length} events`];
  for (const event of events) {
    const described = describeEvent(event);
    const status = STATUS_AFTER[event.type];
    lines.push(...eventLines(event, status ? { ...described, text: `${described.text} -> ${status}` } : described));
  }
  return lines;
}
