/**
 * Query.search(knowledgeBaseId, query, limit): anyone who may search the knowledge base (its owner, any member of
 * its workspace, an admin) searches its chunks. Anyone else gets FORBIDDEN, an unknown knowledge base NOT_FOUND.
 */
import type { SqlExecutor } from '../../contracts/sql.ts';
import { assertMayOnKnowledgeBase } from '../access/knowledge-base-access.ts';
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
  await assertMayOnKnowledgeBase(readModels, caller, knowledgeBaseId, 'search');
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
