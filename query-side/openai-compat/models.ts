/**
 * GET /v1/models: the knowledge bases an API key may ask, as OpenAI models `kb:<id>` (those its owner may ask: their
 * own and their workspaces', all of them for an admin's key; of a workspace key only its workspace's; narrowed to
 * the key's list when it has one: key-scope.ts). `name` and `description` are extensions.
 */
import type { ApiKeyCaller } from '../api-keys/api-key-auth.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { listKnowledgeBases } from '../../projections/knowledge-bases/knowledge-bases-read-model.ts';
import { keyReaches } from './key-scope.ts';

export async function listModels(readModels: SqlExecutor, caller: ApiKeyCaller) {
  const { actor, key } = caller;
  const owned = await listKnowledgeBases(readModels, actor);
  const allowed = owned.filter((kb) => keyReaches(key, kb));
  return {
    object: 'list',
    data: allowed.map((kb) => ({
      id: `kb:${kb.id}`,
      object: 'model',
      created: Math.floor(Date.parse(kb.createdAt) / 1000),
      owned_by: kb.ownerId,
      name: kb.name,
      description: kb.description,
    })),
  };
}
