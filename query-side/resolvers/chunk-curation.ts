/**
 * Chunk curation (contracts/graphql/chunk-curation.ts, the public contract's names): a document's chunks, a chunk's
 * text replaced, a chunk disabled and enabled, and a question-and-answer pair added as a document. Editors and owners
 * of the knowledge base (contracts/workspaces.ts, 'curate') and admins only, checked again by the commands against
 * the log. A change answers once the search index shows it (read-your-writes), so the next search or question
 * already sees it; a pair answers once it is indexed and searchable (bounded, see addQaPair).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DocumentCommands } from '../../contracts/document-commands.ts';
import { chunkIdOf, parseChunkId } from '../../contracts/documents.ts';
import { DomainError, type ErrorCode } from '../../contracts/errors.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { findDocumentChunk, listDocumentChunks, type DocumentChunkRow } from '../../projections/chunks/document-chunks.ts';
import { CHUNKS_PROJECTOR } from '../../projections/chunks/projector.ts';
import { documentsProjector } from '../../projections/documents/documents-projector.ts';
import { findDocument, type DocumentRow } from '../../projections/documents/documents-read-model.ts';
import { assertMayOnKnowledgeBase } from '../access/knowledge-base-access.ts';
import type { AuthUser } from '../auth/tokens.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { actorOf } from './documents.ts';
import { commandMetadata } from './identity.ts';
import { qaPairFile } from './qa-pair-file.ts';

export interface ChunkCurationResolverDeps {
  commands: DocumentCommands;
  readModels: SqlExecutor;
  /** Where the chunks are (the search index's database). */
  searchIndex: SqlExecutor;
  /** How long addQaPair waits for its pair to be indexed and searchable (default 30 s). */
  qaPairTimeoutMs?: number;
}

export const MAX_CHUNKS_PER_PAGE = 200;
const QA_PAIR_TIMEOUT_MS = 30_000;
const QA_PAIR_POLL_MS = [50, 100, 200, 250] as const;

/** Failures of the pipeline that may pass when tried again (reindex) rather than a pair the pipeline cannot take. */
const TRANSIENT_FAILURES = new Set(['EMBEDDING_FAILED', 'PROCESSING_STOPPED', 'PARSE_TIMEOUT', 'PARSE_MEMORY', 'PARSER_CRASHED', 'CHUNK_TIMEOUT']);

const noSuchChunk = (id: string, why = 'no such chunk') => new DomainError('NOT_FOUND', why, { chunkId: id });

/** How indexedFirstChunk reads: the documents read model and the search index. */
export interface PairLookups {
  document(id: string): Promise<Pick<DocumentRow, 'status' | 'revision' | 'error' | 'errorCode' | 'failedStep'> | undefined>;
  chunk(id: string): Promise<DocumentChunkRow | undefined>;
}

/**
 * The first chunk of a just uploaded pair once the documents read model says it is indexed (the pipeline records
 * that only after the search index has its chunks) and the index has it; polled, since the worker may run in
 * another process. A failed pair is its failure; one still in progress after `timeoutMs` is UNAVAILABLE.
 */
export async function indexedFirstChunk(lookups: PairLookups, documentId: string, timeoutMs: number): Promise<DocumentChunkRow> {
  const deadline = Date.now() + timeoutMs;
  let row: Awaited<ReturnType<PairLookups['document']>>;
  for (let round = 0; ; round++) {
    row = await lookups.document(documentId);
    if (row?.status === 'failed') {
      const code: ErrorCode = TRANSIENT_FAILURES.has(row.errorCode ?? '') ? 'UNAVAILABLE' : 'INTERNAL';
      throw new DomainError(code, `the question-and-answer pair was added as document ${documentId} but could not be indexed: ${row.error ?? 'failed'}`, {
        documentId,
        failureCode: row.errorCode,
        failedStep: row.failedStep,
      });
    }
    if (row?.status === 'indexed') {
      const chunk = await lookups.chunk(chunkIdOf(documentId, row.revision, 0));
      if (chunk) return chunk;
    }
    const wait = QA_PAIR_POLL_MS[Math.min(round, QA_PAIR_POLL_MS.length - 1)]!;
    if (Date.now() + wait > deadline) break;
    await sleep(wait);
  }
  throw new DomainError(
    'UNAVAILABLE',
    `the question-and-answer pair was added as document ${documentId} but is not searchable yet (still ${row?.status ?? 'being recorded'} after ${Math.round(timeoutMs / 1000)} s); it will be once indexed`,
    { documentId, status: row?.status ?? null },
  );
}

export function createChunkCurationResolvers(deps: ChunkCurationResolverDeps): ResolverMap {
  const { commands, readModels, searchIndex } = deps;
  const qaPairTimeoutMs = deps.qaPairTimeoutMs ?? QA_PAIR_TIMEOUT_MS;
  const pairLookups: PairLookups = { document: (id) => findDocument(readModels, id), chunk: (id) => findDocumentChunk(searchIndex, id) };

  async function assertMayCurate(knowledgeBaseId: string, user: AuthUser): Promise<void> {
    await assertMayOnKnowledgeBase(readModels, user, knowledgeBaseId, 'curate');
  }

  /**
   * The document a chunk id names, for a curator: NOT_FOUND when the id is not one, its document does not exist, or
   * it is of an older revision (the chunk index and the commands say NOT_FOUND for an index past the last).
   */
  async function curatedDocument(id: string, user: AuthUser): Promise<{ documentId: string }> {
    const parsed = parseChunkId(id);
    if (!parsed) throw noSuchChunk(id, 'not a chunk id ({documentId}:{revision}:{index})');
    const document = await findDocument(readModels, parsed.documentId);
    if (!document || document.status === 'deleted') throw noSuchChunk(id);
    await assertMayCurate(document.knowledgeBaseId, user);
    if (parsed.revision < document.revision) {
      throw noSuchChunk(id, 'the chunk belongs to an older revision of the document: it was re-indexed since');
    }
    return { documentId: parsed.documentId };
  }

  /** The chunk after a change: from the index once it shows it, else as far as the index has it. */
  async function changed(ctx: AppContext, chunkId: string, position: Parameters<AppContext['waitUntilVisible']>[0]) {
    await ctx.waitUntilVisible(position, [CHUNKS_PROJECTOR, documentsProjector.name]);
    const chunk = await findDocumentChunk(searchIndex, chunkId);
    if (!chunk) throw noSuchChunk(chunkId);
    return chunk;
  }

  return {
    Query: {
      async chunks(_root: unknown, args: { documentId: string; limit: number; after?: string | null }, ctx: AppContext) {
        const user = ctx.requireUser();
        const document = await findDocument(readModels, args.documentId);
        if (!document) throw new DomainError('NOT_FOUND', 'document not found', { documentId: args.documentId });
        await assertMayCurate(document.knowledgeBaseId, user);
        if (!Number.isInteger(args.limit) || args.limit < 1 || args.limit > MAX_CHUNKS_PER_PAGE) {
          throw new DomainError('BAD_USER_INPUT', `limit must be 1..${MAX_CHUNKS_PER_PAGE}`);
        }
        let afterOrdinal = -1;
        if (args.after !== undefined && args.after !== null) {
          const cursor = parseChunkId(args.after);
          if (!cursor || cursor.documentId !== args.documentId) {
            throw new DomainError('BAD_USER_INPUT', 'after must be the id of a chunk of this document', { after: args.after });
          }
          afterOrdinal = cursor.index;
        }
        return listDocumentChunks(searchIndex, args.documentId, { afterOrdinal, limit: args.limit });
      },
    },
    Mutation: {
      async updateChunk(_root: unknown, args: { id: string; text: string }, ctx: AppContext) {
        const user = ctx.requireUser();
        const { documentId } = await curatedDocument(args.id, user);
        const { position } = await commands.editChunk(documentId, args.id, args.text, actorOf(user), commandMetadata(ctx));
        return changed(ctx, args.id, position);
      },
      async setChunkEnabled(_root: unknown, args: { id: string; enabled: boolean }, ctx: AppContext) {
        const user = ctx.requireUser();
        const { documentId } = await curatedDocument(args.id, user);
        const { position } = await commands.setChunkEnabled(documentId, args.id, args.enabled, actorOf(user), commandMetadata(ctx));
        return changed(ctx, args.id, position);
      },
      async addQaPair(_root: unknown, args: { knowledgeBaseId: string; question: string; answer: string }, ctx: AppContext) {
        const user = ctx.requireUser();
        await assertMayCurate(args.knowledgeBaseId, user);
        const file = qaPairFile(args.question, args.answer);
        const { documentId, position } = await commands.upload({
          knowledgeBaseId: args.knowledgeBaseId,
          fileName: file.name,
          content: (async function* () {
            yield file.bytes;
          })(),
          replace: false,
          actor: actorOf(user),
          metadata: commandMetadata(ctx),
        });
        await ctx.waitUntilVisible(position, [documentsProjector.name]);
        return indexedFirstChunk(pairLookups, documentId, qaPairTimeoutMs);
      },
    },
  };
}
