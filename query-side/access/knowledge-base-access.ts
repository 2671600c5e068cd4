/**
 * The query side's check of who may do what to a knowledge base, from the read models (knowledge_bases joined with
 * workspace_members), by the one table in contracts/workspaces.ts. Commands check again against the log.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { mayDo, neededRole, type AccessActor, type KnowledgeBaseOperation } from '../../contracts/workspaces.ts';
import { knowledgeBaseWithRole, type KnowledgeBaseRow } from '../../projections/knowledge-bases/knowledge-bases-read-model.ts';

/** The knowledge base, once `actor` may do `operation` to it; NOT_FOUND when there is none, FORBIDDEN when not. */
export async function assertMayOnKnowledgeBase(
  readModels: SqlExecutor,
  actor: AccessActor,
  knowledgeBaseId: string,
  operation: KnowledgeBaseOperation,
): Promise<KnowledgeBaseRow> {
  const found = await knowledgeBaseWithRole(readModels, knowledgeBaseId, actor);
  if (!found) throw new DomainError('NOT_FOUND', `knowledge base ${knowledgeBaseId} does not exist`, { knowledgeBaseId });
  if (!mayDo(found.role, operation)) throw new DomainError('FORBIDDEN', neededRole(operation), { knowledgeBaseId, role: found.role });
  return found.knowledgeBase;
}
