/**
 * Whose turn a pipeline trigger takes (fair-queue.ts): the user who uploaded the document, and its knowledge base.
 * DocumentUploaded names both. DocumentReindexRequested names only who asked (an admin asking for the documents of
 * many knowledge bases must not make them one queue of the admin's), so its document's first event, the revision-1
 * DocumentUploaded, is read: one event, not the chunk-bearing rest of the stream. This also answers a reindex whose
 * upload lies before the worker's checkpoint (after a restart), and answers are kept for the next requests.
 *
 * A reindex is charged to the document's first uploader, even when a later upload (after a delete) came from
 * someone else: the answer must be the same every time it is asked, because the worker asks again when it reads a
 * user's set-back queue from the log (worker.ts), and a stream's first event never changes. The knowledge base never
 * changes either (a document's id is derived from it).
 */
import type { EventStore, RecordedEvent } from '../../../contracts/eventstore.ts';
import { documentStream } from '../../../contracts/streams.ts';
import { retry } from '../../retry.ts';

export interface DocumentOwner {
  user: string;
  knowledgeBaseId: string;
}

export interface DocumentOwners {
  /** Retries a failing store until `signal` is aborted (then throws its reason). */
  of(event: RecordedEvent, signal: AbortSignal): Promise<DocumentOwner>;
}

export interface DocumentOwnersOptions {
  /** Documents remembered (least recently used forgotten first). Default 4096. */
  capacity?: number;
  /** First retry delay after a failed read (doubles, capped at 30 s). Default 500. */
  retryDelayMs?: number;
  onRetry?: (error: unknown, documentId: string) => void;
}

export function documentOwners(store: EventStore, options: DocumentOwnersOptions = {}): DocumentOwners {
  const capacity = options.capacity ?? 4096;
  const known = new Map<string, DocumentOwner>();
  const remember = (documentId: string, owner: DocumentOwner) => {
    known.delete(documentId);
    known.set(documentId, owner);
    if (known.size > capacity) known.delete(known.keys().next().value!);
  };

  async function firstUpload(documentId: string, fallback: DocumentOwner, signal: AbortSignal): Promise<DocumentOwner> {
    const read = async (): Promise<DocumentOwner> => {
      const [first] = await store.readStream(documentStream(documentId), { maxCount: 1 });
      // Never without an upload (the decider refuses a reindex of a document that does not exist); be safe anyway.
      if (first?.type !== 'DocumentUploaded') return fallback;
      return { user: String(first.data.uploadedBy), knowledgeBaseId: String(first.data.knowledgeBaseId) };
    };
    return retry(read, {
      retries: Infinity,
      backoff: { firstDelayMs: options.retryDelayMs ?? 500, maxDelayMs: 30_000, jitter: 0 },
      signal,
      onRetry: (error) => options.onRetry?.(error, documentId),
    });
  }

  return {
    async of(event, signal) {
      const documentId = String(event.data.documentId);
      if (event.type === 'DocumentUploaded') {
        const owner = { user: String(event.data.uploadedBy), knowledgeBaseId: String(event.data.knowledgeBaseId) };
        if (event.data.revision === 1) remember(documentId, owner);
        return owner;
      }
      const cached = known.get(documentId);
      if (cached) {
        remember(documentId, cached);
        return cached;
      }
      const fallback = { user: String(event.data.requestedBy ?? ''), knowledgeBaseId: '' };
      const owner = await firstUpload(documentId, fallback, signal);
      remember(documentId, owner);
      return owner;
    },
  };
}
