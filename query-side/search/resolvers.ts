/**
 * Query.search(knowledgeBaseId, query, limit): the owner of the knowledge base, or an admin, searches its chunks.
 * Anyone else gets FORBIDDEN, an unknown knowledge base NOT_FOUND.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { findKnowledgeBase } from '../../projections/knowledge-bases/knowledge-bases-read-model.ts';
import type { AuthUser } from '../auth/tokens.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import type { ChunkSearch, SearchHit } from './search.ts';

export interface SearchResolverDeps {
  search: ChunkSearch;
  /** The read-model database (the knowledge_bases table gives the owner). */
  readModels: SqlExecutor;
}

/** Throws unless `caller` may read the knowledge base's contents. */
export async function assertCanReadKnowledgeBase(
  readModels: SqlExecutor,
  caller: AuthUser,
  knowledgeBaseId: string,
): Promise<void> {
  const knowledgeBase = await findKnowledgeBase(readModels, knowledgeBaseId);
  if (!knowledgeBase) throw new DomainError('NOT_FOUND', `knowledge base ${knowledgeBaseId} does not exist`);
  if (knowledgeBase.ownerId !== caller.id && caller.role !== 'admin') {
    throw new DomainError('FORBIDDEN', 'only the owner of this knowledge base (or an admin) may search it');
  }
}

export function createSearchResolvers(deps: SearchResolverDeps): ResolverMap {
  return {
    Query: {
      async search(
        _root: unknown,
        args: { knowledgeBaseId: string; query: string; limit?: number | null },
        ctx: AppContext,
      ): Promise<SearchHit[]> {
        const caller = ctx.requireUser();
        await assertCanReadKnowledgeBase(deps.readModels, caller, args.knowledgeBaseId);
        return deps.search(args.knowledgeBaseId, args.query, args.limit ?? 5);
      },
    },
  };
}
