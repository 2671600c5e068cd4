/**
 * Which knowledge bases an API key reaches, on top of what its creator may ask (which the turn commands check
 * against the log): a personal key, any; a workspace key, only its workspace's. Either narrowed to its list when it
 * has one. /v1/models lists by it; /v1/chat/completions refuses anything else with 403 before anything is recorded.
 */
import type { ApiKeyView } from '../../contracts/api-keys.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { findKnowledgeBase } from '../../projections/knowledge-bases/knowledge-bases-read-model.ts';
import { OpenAiError } from './openai-errors.ts';

export const keyReaches = (key: ApiKeyView, knowledgeBase: { id: string; workspaceId: string | null }): boolean =>
  (key.workspaceId === null || knowledgeBase.workspaceId === key.workspaceId) &&
  (key.knowledgeBaseIds.length === 0 || key.knowledgeBaseIds.includes(knowledgeBase.id));

/** 403 for a knowledge base the key may not use (a workspace key: one of another workspace's, or none at all). */
export async function assertKeyMayUse(readModels: SqlExecutor, key: ApiKeyView, knowledgeBaseId: string): Promise<void> {
  const refused = () =>
    new OpenAiError(403, 'invalid_request_error', 'model_not_allowed', `this API key may not use the knowledge base kb:${knowledgeBaseId}`);
  if (key.knowledgeBaseIds.length > 0 && !key.knowledgeBaseIds.includes(knowledgeBaseId)) throw refused();
  if (key.workspaceId === null) return;
  const knowledgeBase = await findKnowledgeBase(readModels, knowledgeBaseId);
  // A workspace key never learns whether a knowledge base outside its workspace exists: both are 403.
  if (!knowledgeBase || !keyReaches(key, knowledgeBase)) throw refused();
}
