/**
 * Deterministic ids. A document's id comes from (knowledge base, sha256), so the same bytes in one knowledge base
 * are one document whoever uploads them and however often. Event ids come from what the event is (document,
 * revision, type, part/batch), so a retried append of the same step is a no-op at the store.
 */
import { nameBasedId } from '../name-based-id.ts';
import type { DocumentEvent } from '../../contracts/documents.ts';

const DOCUMENT_NAMESPACE = '6f1d8a52-3c1e-4f57-9a0e-5b8f0c2d7e41';

export const documentIdOf = (knowledgeBaseId: string, sha256: string): string =>
  nameBasedId(`${knowledgeBaseId}/${sha256}`, DOCUMENT_NAMESPACE);

function discriminator(event: DocumentEvent): string {
  switch (event.type) {
    case 'DocumentParsingStarted':
      return String(event.data.attempt);
    case 'DocumentChunked':
      return String(event.data.part);
    case 'ChunksEmbedded':
      return event.data.chunkIds[0]!;
    // Curation: one event per chunk and moment (the same change retried at the same moment is one event).
    case 'ChunkEdited':
      return `${event.data.chunkId}/${event.data.editedAt}`;
    case 'ChunkDisabled':
    case 'ChunkEnabled':
      return `${event.data.chunkId}/${event.data.at}`;
    default:
      return '';
  }
}

export const documentEventId = (event: DocumentEvent): string =>
  nameBasedId(`${event.data.documentId}/${event.data.revision}/${event.type}/${discriminator(event)}`, DOCUMENT_NAMESPACE);
