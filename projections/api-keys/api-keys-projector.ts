/**
 * The api_keys read model: one row per key, looked up by its secret's hash on every API request and listed by
 * owner. Rows are plain upserts keyed by the key's id, so a replayed event writes the same row and a rebuild from
 * the log equals the live table. workspace_id (migration 2) is null for personal keys, which every key written
 * before workspaces is: the column added to old rows says what their events mean, so no rebuild is needed.
 */
import { parseApiKeyEvent } from '../../contracts/api-keys.ts';
import { projectorByEventType, type Projector } from '../runtime/projector.ts';

export const API_KEYS_PROJECTOR = 'api-keys';

export const apiKeysProjector: Projector = projectorByEventType({
  name: API_KEYS_PROJECTOR,
  version: 1,
  migrations: [
    {
      version: 1,
      sql: `
        CREATE TABLE api_keys (
          id text PRIMARY KEY,
          owner_id text NOT NULL,
          name text NOT NULL,
          prefix text NOT NULL,
          secret_sha256 text NOT NULL UNIQUE,
          credits_per_day bigint,
          requests_per_minute integer,
          knowledge_base_ids text[] NOT NULL,
          created_at timestamptz NOT NULL,
          revoked_at timestamptz
        );
        CREATE INDEX api_keys_owner ON api_keys (owner_id, created_at);`,
    },
    {
      version: 2,
      sql: `
        ALTER TABLE api_keys ADD COLUMN workspace_id text;
        CREATE INDEX api_keys_workspace ON api_keys (workspace_id, created_at) WHERE workspace_id IS NOT NULL;`,
    },
  ],
  streamPrefixes: ['apikey-'],
  handlers: {
    async ApiKeyCreated(event, tx) {
      const parsed = parseApiKeyEvent(event);
      if (parsed.type !== 'ApiKeyCreated') return;
      const { data } = parsed;
      const { creditsPerDay, requestsPerMinute, knowledgeBaseIds } = data.limits;
      await tx.query(
        `INSERT INTO api_keys (id, owner_id, workspace_id, name, prefix, secret_sha256, credits_per_day, requests_per_minute,
                               knowledge_base_ids, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10)
         ON CONFLICT (id) DO NOTHING`,
        [
          data.apiKeyId,
          data.ownerId,
          data.workspaceId ?? null,
          data.name,
          data.prefix,
          data.secretSha256,
          creditsPerDay,
          requestsPerMinute,
          knowledgeBaseIds,
          data.createdAt,
        ],
      );
    },
    async ApiKeyRevoked(event, tx) {
      const parsed = parseApiKeyEvent(event);
      if (parsed.type !== 'ApiKeyRevoked') return;
      const { data } = parsed;
      // The first revocation stands: a replay writes the same time.
      await tx.query(`UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [data.apiKeyId, data.revokedAt]);
    },
  },
});
