/**
 * Document resolvers: documents(knowledgeBaseId), document(id), deleteDocument, reindexDocument and the
 * documentStatus(knowledgeBaseId) subscription. Who may see and change a knowledge base's documents is the table in
 * contracts/workspaces.ts (viewers see them, editors change them; the commands check changes again); a subscription
 * ends when its subscriber loses the right. Mutations wait until the read model shows their change
 * (read-your-writes), or answer with the document as decided when it does not in time.
 */
import type { DocumentActor, DocumentCommands } from '../../contracts/document-commands.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { findDocument, listDocuments, type DocumentRow } from '../../projections/documents/documents-read-model.ts';
import { documentStatusTopic } from '../../projections/documents/status-feed.ts';
import { documentsProjector } from '../../projections/documents/documents-projector.ts';
import { CHUNKS_PROJECTOR } from '../../projections/chunks/projector.ts';
import { assertMayOnKnowledgeBase } from '../access/knowledge-base-access.ts';
import { whileAllowed } from '../access/while-allowed.ts';
import type { AuthUser } from '../auth/tokens.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { commandMetadata } from './identity.ts';

export interface DocumentResolverDeps {
  commands: DocumentCommands;
  /** The read-model database (documents and knowledge_bases tables). */
  readModels: SqlExecutor;
}

export const actorOf = (user: AuthUser): DocumentActor => ({ id: user.id, role: user.role });

/** The document as GraphQL shows it (the row has every field of the contract's Document, and a few more). */
const toGraphql = (row: DocumentRow) => row;

export function createDocumentResolvers(deps: DocumentResolverDeps): ResolverMap {
  const { readModels } = deps;

  async function assertMayUse(knowledgeBaseId: string, user: AuthUser): Promise<void> {
    await assertMayOnKnowledgeBase(readModels, user, knowledgeBaseId, 'listDocuments');
  }

  async function change(ctx: AppContext, id: string, command: 'reindex' | 'delete') {
    const user = ctx.requireUser();
    const { position, document } = await deps.commands[command](id, actorOf(user), commandMetadata(ctx));
    // Deleted chunks must be gone from search when the mutation returns: wait for the chunks too.
    const visible = await ctx.waitUntilVisible(position, [documentsProjector.name, CHUNKS_PROJECTOR]);
    const row = visible ? await findDocument(readModels, id) : undefined;
    // Not shown yet (or the row is missing): the document as its stream has it, changed just now.
    return row ? toGraphql(row) : { ...document, updatedAt: new Date().toISOString() };
  }

  return {
    Query: {
      async documents(_root: unknown, args: { knowledgeBaseId: string }, ctx: AppContext) {
        const user = ctx.requireUser();
        await assertMayUse(args.knowledgeBaseId, user);
        return (await listDocuments(readModels, args.knowledgeBaseId)).map(toGraphql);
      },
      async document(_root: unknown, args: { id: string }, ctx: AppContext) {
        const user = ctx.requireUser();
        const row = await findDocument(readModels, args.id);
        if (!row) return null;
        await assertMayUse(row.knowledgeBaseId, user);
        return toGraphql(row);
      },
    },
    Mutation: {
      deleteDocument: (_root: unknown, args: { id: string }, ctx: AppContext) => change(ctx, args.id, 'delete'),
      reindexDocument: (_root: unknown, args: { id: string }, ctx: AppContext) => change(ctx, args.id, 'reindex'),
    },
    Subscription: {
      documentStatus: {
        async subscribe(_root: unknown, args: { knowledgeBaseId: string }, ctx: AppContext) {
          const user = ctx.requireUser();
          await assertMayUse(args.knowledgeBaseId, user);
          const updates = await ctx.pubsub.subscribe(documentStatusTopic(args.knowledgeBaseId));
          const mayStillSee = () => assertMayUse(args.knowledgeBaseId, user).then(() => true, () => false);
          return whileAllowed(updates, mayStillSee);
        },
        resolve: (row: unknown) => toGraphql(row as DocumentRow),
      },
    },
  };
}
