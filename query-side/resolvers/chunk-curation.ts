/**
 * Chunk curation (contracts/graphql/chunk-curation.ts): a document's chunks, edit, disable and enable one, and a
 * question-and-answer pair added as a document. Editors and owners of the knowledge base (contracts/workspaces.ts)
 * and admins only, checked again by the commands against the log. A change answers once the search index shows it (read-your-writes), so the next search
 * or question already sees it.
 */
import type { DocumentCommands } from '../../contracts/document-commands.ts';
import { DomainError } from '../../contracts/errors.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { findDocumentChunk, listDocumentChunks } from '../../projections/chunks/document-chunks.ts';
import { CHUNKS_PROJECTOR } from '../../projections/chunks/projector.ts';
import { documentsProjector } from '../../projections/documents/documents-projector.ts';
import { findDocument } from '../../projections/documents/documents-read-model.ts';
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
}

const MAX_CHUNKS_PER_PAGE = 200;

export function createChunkCurationResolvers(deps: ChunkCurationResolverDeps): ResolverMap {
  const { commands, readModels, searchIndex } = deps;

  async function assertMayCurate(knowledgeBaseId: string, user: AuthUser): Promise<void> {
    await assertMayOnKnowledgeBase(readModels, user, knowledgeBaseId, 'curate');
  }

  /** The chunk after a change: from the index once it shows it, else as far as the index has it. */
  async function changed(ctx: AppContext, chunkId: string, position: Parameters<AppContext['waitUntilVisible']>[0]) {
    await ctx.waitUntilVisible(position, [CHUNKS_PROJECTOR, documentsProjector.name]);
    const chunk = await findDocumentChunk(searchIndex, chunkId);
    if (!chunk) throw new DomainError('NOT_FOUND', 'no such chunk in this document', { chunkId });
    return chunk;
  }

  return {
    Query: {
      async documentChunks(_root: unknown, args: { documentId: string; from: number; limit: number }, ctx: AppContext) {
        const user = ctx.requireUser();
        const document = await findDocument(readModels, args.documentId);
        if (!document) throw new DomainError('NOT_FOUND', 'document not found', { documentId: args.documentId });
        await assertMayCurate(document.knowledgeBaseId, user);
        if (!Number.isInteger(args.limit) || args.limit < 1 || args.limit > MAX_CHUNKS_PER_PAGE) {
          throw new DomainError('BAD_USER_INPUT', `limit must be 1..${MAX_CHUNKS_PER_PAGE}`);
        }
        if (!Number.isInteger(args.from) || args.from < 0) throw new DomainError('BAD_USER_INPUT', 'from must be 0 or more');
        return listDocumentChunks(searchIndex, args.documentId, { from: args.from, limit: args.limit });
      },
    },
    Mutation: {
      async editChunk(_root: unknown, args: { documentId: string; chunkId: string; text: string }, ctx: AppContext) {
        const user = ctx.requireUser();
        const { position } = await commands.editChunk(args.documentId, args.chunkId, args.text, actorOf(user), commandMetadata(ctx));
        return changed(ctx, args.chunkId, position);
      },
      async setChunkEnabled(_root: unknown, args: { documentId: string; chunkId: string; enabled: boolean }, ctx: AppContext) {
        const user = ctx.requireUser();
        const { position } = await commands.setChunkEnabled(
          args.documentId,
          args.chunkId,
          args.enabled,
          actorOf(user),
          commandMetadata(ctx),
        );
        return changed(ctx, args.chunkId, position);
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
        const row = await findDocument(readModels, documentId);
        if (!row) throw new DomainError('INTERNAL', `document ${documentId} is not in the read model yet`);
        return row;
      },
    },
  };
}
