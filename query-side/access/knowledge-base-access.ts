/**
 * The query side's check of who may do what to a knowledge base or in a workspace, from the read models
 * (knowledge_bases, workspaces, workspace_members), by the one table in contracts/workspaces.ts. Commands check again
 * against the log (command-side/workspaces/knowledge-base-access.ts, the twin of this file).
 */
import { DomainError } from '../../contracts/errors.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { mayDo, neededRole, roleInWorkspace, type AccessActor, type KnowledgeBaseOperation } from '../../contracts/workspaces.ts';
import { knowledgeBaseWithRole, type KnowledgeBaseRow } from '../../projections/knowledge-bases/knowledge-bases-read-model.ts';
import { findWorkspace, memberRole, type WorkspaceRow } from '../../projections/workspaces/workspaces-read-model.ts';

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

/**
 * The workspace, once `actor` may do `operation` there: NOT_FOUND when there is no such workspace or the actor is
 * not a member (to them it does not exist), FORBIDDEN when their role is too low.
 */
export async function assertMayInWorkspace(
  readModels: SqlExecutor,
  actor: AccessActor,
  workspaceId: string,
  operation: KnowledgeBaseOperation,
): Promise<WorkspaceRow> {
  const workspace = await findWorkspace(readModels, workspaceId);
  const role = workspace && roleInWorkspace(actor, await memberRole(readModels, workspaceId, actor.id));
  if (!workspace || !role) throw new DomainError('NOT_FOUND', 'workspace not found', { workspaceId });
  if (!mayDo(role, operation)) throw new DomainError('FORBIDDEN', neededRole(operation, 'in the workspace'), { workspaceId });
  return workspace;
}
