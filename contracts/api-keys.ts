/**
 * API keys: the events of the `apikey-{id}` stream, the validated input of createApiKey, the key as the API shows
 * it and the command port the query side calls.
 *
 * A key belongs to a user today (`ownerId`); when workspaces exist, a key of a workspace will carry a
 * `workspaceId` as a new optional field of ApiKeyCreated, with the workspace's owner as `ownerId` (who pays and
 * whose knowledge bases it may use), so events written now stay valid. The secret never reaches this layer: the
 * edge that makes it (query-side/api-keys) hands over only its sha256 and its displayable prefix, so neither the
 * log nor a read model can hold it.
 */
import { z } from 'zod';
import { eventParser, type EventsOf } from './event-parser.ts';
import type { EventMetadata } from './eventstore.ts';
import type { Position } from './position.ts';
import { positiveMicros } from './wallet.ts';

const id = z.string().min(1).max(200);
const at = z.string().min(1);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in lower-case hex');

/** A key's optional limits; null = none of that kind. */
export const apiKeyLimitsSchema = z.object({
  /** Micro-credits the key may spend per UTC day (worst-case holds of answers in flight count until settled). */
  creditsPerDay: positiveMicros.nullable(),
  /** Requests per rolling minute (POST /v1/chat/completions and GET /v1/models). */
  requestsPerMinute: z.number().int().positive().nullable(),
  /** The knowledge bases the key may ask; empty = every knowledge base its owner may ask. */
  knowledgeBaseIds: z.array(id).max(100),
});
export type ApiKeyLimits = z.infer<typeof apiKeyLimitsSchema>;

export const apiKeyEventSchemas = {
  ApiKeyCreated: z.object({
    apiKeyId: id,
    ownerId: id,
    name: z.string().min(1).max(200),
    /** The first characters of the secret, shown to tell keys apart (`ka_live_abcd`); not enough to use it. */
    prefix: z.string().min(1).max(32),
    /** sha256 of the whole secret: what a request's bearer key is looked up by. */
    secretSha256: sha256Hex,
    limits: apiKeyLimitsSchema,
    createdAt: at,
  }),
  ApiKeyRevoked: z.object({ apiKeyId: id, by: id, revokedAt: at }),
} as const;

export type ApiKeyEvent = EventsOf<typeof apiKeyEventSchemas>;
export type ApiKeyCreated = Extract<ApiKeyEvent, { type: 'ApiKeyCreated' }>;
export const API_KEY_EVENT_TYPES = Object.keys(apiKeyEventSchemas) as ApiKeyEvent['type'][];
export const parseApiKeyEvent = eventParser(apiKeyEventSchemas);

/** createApiKey's arguments as the API takes them (GraphQL). */
export const createApiKeyInputSchema = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters'),
  knowledgeBaseIds: z
    .array(z.string().trim().min(1).max(200))
    .max(100, 'at most 100 knowledge bases per key')
    .nullish()
    .transform((ids) => [...new Set(ids ?? [])]),
  creditsPerDay: z.number().int().positive('creditsPerDay must be greater than zero').nullish().transform((v) => v ?? null),
  requestsPerMinute: z
    .number()
    .int()
    .min(1, 'requestsPerMinute must be at least 1')
    .max(100_000, 'requestsPerMinute must be at most 100000')
    .nullish()
    .transform((v) => v ?? null),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInputSchema>;

/** GraphQL `ApiKey`. */
export interface ApiKeyView {
  id: string;
  ownerId: string;
  name: string;
  prefix: string;
  knowledgeBaseIds: string[];
  creditsPerDay: number | null;
  requestsPerMinute: number | null;
  createdAt: string;
  revokedAt: string | null;
}

/** What the edge hands the command: the secret's hash and prefix, never the secret. */
export interface NewApiKeySecret {
  secretSha256: string;
  prefix: string;
}

export interface RecordedApiKey {
  apiKey: ApiKeyView;
  /** Log position of the append: wait for it to read the key from the read model. */
  position: Position | undefined;
}

export interface ApiKeyCommands {
  create(ownerId: string, input: CreateApiKeyInput, secret: NewApiKeySecret, metadata: EventMetadata): Promise<RecordedApiKey>;
  /** The owner revokes (admins too); revoking a revoked key changes nothing. */
  revoke(actor: { id: string; role: 'admin' | 'member' }, apiKeyId: string, metadata: EventMetadata): Promise<RecordedApiKey>;
}
