/**
 * API keys: the events of the `apikey-{id}` stream, the validated input of createApiKey, the key as the API shows
 * it and the command port the query side calls.
 *
 * A key is a user's (personal: no `workspaceId`) or a workspace's (`workspaceId`, an optional field of ApiKeyCreated:
 * events written before workspaces lack it and mean a personal key, so old logs replay unchanged). `ownerId` is
 * always the user who created it: a question asked with the key is that user's turn (the saga's asker, paying as any
 * of their questions to that knowledge base is paid). Only an OWNER of the workspace (or an admin) creates a
 * workspace key, and only for the workspace's knowledge bases; any of its owners may revoke it. The secret never
 * reaches this layer: the edge that makes it (query-side/api-keys) hands over only its sha256 and its displayable
 * prefix, so neither the log nor a read model can hold it.
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
  /**
   * The knowledge bases the key may ask; empty = every knowledge base its owner may ask (a workspace key: every
   * knowledge base of its workspace).
   */
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
    /** The workspace whose key it is; absent: its creator's personal key (every key before workspaces). */
    workspaceId: id.optional(),
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
  /** The workspace the key is for (its OWNERs only); left out: the caller's personal key. */
  workspaceId: z
    .string()
    .trim()
    .min(1, 'workspaceId must not be empty')
    .max(200)
    .nullish()
    .transform((v) => v ?? null),
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
  /** null: a personal key. */
  workspaceId: string | null;
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
  /**
   * A key of the actor's (they become its ownerId). With a workspaceId: NOT_FOUND when there is no such workspace
   * or the actor is not a member, FORBIDDEN unless they are its OWNER (or an admin); each knowledge base named must
   * be the workspace's (FORBIDDEN otherwise). Without: each one must be one the actor may ask.
   */
  create(actor: { id: string; role: 'admin' | 'member' }, input: CreateApiKeyInput, secret: NewApiKeySecret, metadata: EventMetadata): Promise<RecordedApiKey>;
  /**
   * Its creator revokes, admins too, and for a workspace key any OWNER of the workspace; revoking a revoked key
   * changes nothing.
   */
  revoke(actor: { id: string; role: 'admin' | 'member' }, apiKeyId: string, metadata: EventMetadata): Promise<RecordedApiKey>;
}
