/**
 * Command handlers of documents: upload (blob first, then the event), reindex, delete, and the curation of a chunk
 * (edit: its text embedded here, before the decider sees it; disable, enable). Permission is checked against
 * the knowledge base's own stream (the source of truth), so a knowledge base created a moment ago is already known.
 */
import type { DecidedDocument, DocumentActor, DocumentCommands } from '../../contracts/document-commands.ts';
import { MAX_EDITED_CHUNK_CHARS, packVectors, parseDocumentUploaded } from '../../contracts/documents.ts';
import { DomainError } from '../../contracts/errors.ts';
import type { EventMetadata, EventStore } from '../../contracts/eventstore.ts';
import { documentStream } from '../../contracts/streams.ts';
import { mayDo, neededRole } from '../../contracts/workspaces.ts';
import type { BlobLock } from '../blobstore/blob-lock.ts';
import { BlobTooLargeError, type BlobStore } from '../blobstore/blobstore.ts';
import { handleCommand } from '../decider.ts';
import { measure } from '../ingestion/chunking/budget.ts';
import type { Embedder } from '../ingestion/embedding/embedder.ts';
import { detectMediaType } from '../ingestion/parsing/media-type.ts';
import type { DocumentCommand } from './commands.ts';
import { documentDecider } from './decider.ts';
import { documentEventId, documentIdOf } from './ids.ts';
import { createKnowledgeBaseAccess } from '../workspaces/knowledge-base-access.ts';
import type { DocumentState } from './state.ts';

export interface DocumentCommandsDeps {
  store: EventStore;
  blobs: BlobStore;
  maxUploadBytes: number;
  /** Held from committing the bytes to appending DocumentUploaded, against the blob collector. Default: none. */
  lockBlob?: BlobLock;
  /** Embeds an edited chunk's text: the pipeline's embedder, so its vector is of the revision's model. */
  embedder: Embedder;
  now?: () => Date;
}

/** The name people see: no directories, no control characters, bounded. */
export function cleanFileName(fileName: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (fileName.split(/[/\\]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base.slice(0, 255) || 'untitled';
}

function decidedDocument(state: DocumentState): DecidedDocument {
  if (state.status === 'none') throw new DomainError('INTERNAL', `document ${state.documentId} has no events`);
  const { documentId: id, knowledgeBaseId, name, mediaType, sizeBytes, sha256, status, revision } = state;
  const counts = { chunkCount: state.totalChunks, embeddedCount: state.embedded.size };
  const failure = { error: state.error ?? null, errorCode: state.errorCode ?? null };
  return { id, knowledgeBaseId, name, mediaType, sizeBytes, sha256, status, revision, ...failure, ...counts };
}

export function createDocumentCommands(deps: DocumentCommandsDeps): DocumentCommands {
  const { store, blobs } = deps;

  const access = createKnowledgeBaseAccess(store);

  /** Editors and owners of the knowledge base, and admins, change its documents (contracts/workspaces.ts). */
  async function authorize(knowledgeBaseId: string, actor: DocumentActor, operation: 'upload' | 'changeDocuments' = 'changeDocuments'): Promise<void> {
    const found = await access.knowledgeBase(knowledgeBaseId, actor);
    if (!found) throw new DomainError('NOT_FOUND', 'knowledge base not found', { knowledgeBaseId });
    if (!mayDo(found.role, operation)) throw new DomainError('FORBIDDEN', neededRole(operation), { knowledgeBaseId });
  }

  const run = (documentId: string, command: DocumentCommand, metadata: EventMetadata) =>
    handleCommand(store, documentStream(documentId), documentDecider, command, {
      metadata,
      eventId: documentEventId,
    });

  async function authorizeDocument(documentId: string, actor: DocumentActor): Promise<void> {
    const [first] = await store.readStream(documentStream(documentId), { maxCount: 1 });
    if (!first) throw new DomainError('NOT_FOUND', 'document not found', { documentId });
    await authorize(parseDocumentUploaded(first).data.knowledgeBaseId, actor);
  }

  /** `command` is made once the actor may change the document (an edit embeds its text: not for anyone). */
  async function change(documentId: string, actor: DocumentActor, metadata: EventMetadata, command: () => DocumentCommand | Promise<DocumentCommand>) {
    await authorizeDocument(documentId, actor);
    const result = await run(documentId, await command(), { ...metadata, userId: actor.id });
    return { documentId, position: result.position, document: decidedDocument(result.state) };
  }

  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  async function editCommand(chunkId: string, text: string, actor: DocumentActor): Promise<DocumentCommand> {
    const clean = text.normalize('NFC').trim();
    if (clean.length === 0 || clean.length > MAX_EDITED_CHUNK_CHARS) {
      throw new DomainError('BAD_USER_INPUT', `a chunk's text must have 1 to ${MAX_EDITED_CHUNK_CHARS} characters`, {
        maxChars: MAX_EDITED_CHUNK_CHARS,
      });
    }
    const { embedder } = deps;
    const [vector] = await embedder.embed([clean]);
    const data = {
      chunkId,
      text: clean,
      tokenCount: measure(clean).tokens,
      model: embedder.model,
      dimensions: embedder.dimensions,
      vector: embedder.dimensions > 0 ? packVectors([vector!], embedder.dimensions) : '',
      editedBy: actor.id,
      editedAt: now(),
    };
    return { type: 'EditChunk', data };
  }

  return {
    authorizeUpload: (knowledgeBaseId, actor) => authorize(knowledgeBaseId, actor, 'upload'),

    async upload(input) {
      await authorize(input.knowledgeBaseId, input.actor, 'upload');
      const staged = await blobs.stageStream(input.content, { maxBytes: deps.maxUploadBytes }).catch((error: unknown) => {
        if (error instanceof BlobTooLargeError) {
          throw new DomainError('PAYLOAD_TOO_LARGE', `the file is larger than the limit of ${deps.maxUploadBytes} bytes`, {
            maxBytes: deps.maxUploadBytes,
          });
        }
        throw error;
      });
      const name = cleanFileName(input.fileName);
      const detected = await staged.bytes().then(
        (bytes) => detectMediaType(bytes, name),
        async (error: unknown) => {
          await staged.discard();
          throw error;
        },
      );
      if (!detected) {
        await staged.discard();
        throw new DomainError(
          'UNSUPPORTED_MEDIA_TYPE',
          'this kind of file is not supported: upload PDF, DOCX, Markdown, HTML or plain text',
        );
      }
      const documentId = documentIdOf(input.knowledgeBaseId, staged.sha256);
      const command: DocumentCommand = {
        type: 'UploadDocument',
        data: {
          documentId,
          knowledgeBaseId: input.knowledgeBaseId,
          name,
          mediaType: detected.mediaType,
          sizeBytes: staged.sizeBytes,
          sha256: staged.sha256,
          uploadedBy: input.actor.id,
          replace: input.replace,
        },
      };
      // From the bytes being in place until the event refers to them, the blob collector keeps its hands off.
      const release = deps.lockBlob
        ? await deps.lockBlob(staged.sha256).catch(async (error: unknown) => {
            await staged.discard();
            throw error;
          })
        : async () => undefined;
      const result = await (async () => {
        try {
          await staged.commit();
          return await run(documentId, command, { ...input.metadata, userId: input.actor.id });
        } finally {
          await release();
        }
      })();
      const first = result.events[0];
      const outcome = !first ? 'existing' : first.type === 'DocumentUploaded' ? 'created' : 'replaced';
      return { documentId, outcome, position: result.position };
    },

    reindex: (documentId, actor, metadata) =>
      change(documentId, actor, metadata, () => ({ type: 'ReindexDocument', data: { requestedBy: actor.id } })),

    delete: (documentId, actor, metadata) =>
      change(documentId, actor, metadata, () => ({ type: 'DeleteDocument', data: { deletedBy: actor.id } })),

    editChunk: (documentId, chunkId, text, actor, metadata) =>
      change(documentId, actor, metadata, () => editCommand(chunkId, text, actor)),

    setChunkEnabled: (documentId, chunkId, enabled, actor, metadata) =>
      change(documentId, actor, metadata, () => ({
        type: 'SetChunkEnabled',
        data: { chunkId, enabled, by: actor.id, at: now() },
      })),
  };
}
