/**
 * Knowledge bases: the events of the `kb-{id}` stream, the validated input of createKnowledgeBase and the command
 * port the query side calls.
 */
import { z } from 'zod';
import { eventParser, type EventsOf } from './event-parser.ts';
import type { EventMetadata } from './eventstore.ts';
import type { Position } from './position.ts';

export const knowledgeBaseEventSchemas = {
  KnowledgeBaseCreated: z.object({
    knowledgeBaseId: z.string().min(1),
    /** The creator owns it. */
    ownerId: z.string().min(1),
    name: z.string().min(1),
    description: z.string().nullable(),
    /** The workspace it belongs to; null (and absent before workspaces existed): its owner's own. */
    workspaceId: z
      .string()
      .min(1)
      .nullish()
      .transform((id) => id ?? null),
    createdAt: z.string().min(1),
  }),
} as const;

export type KnowledgeBaseEvent = EventsOf<typeof knowledgeBaseEventSchemas>;
export type KnowledgeBaseCreated = Extract<KnowledgeBaseEvent, { type: 'KnowledgeBaseCreated' }>;
export const parseKnowledgeBaseEvent = eventParser(knowledgeBaseEventSchemas);

export const createKnowledgeBaseInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'name must not be empty')
    .max(200, 'name must be at most 200 characters'),
  description: z
    .string()
    .trim()
    .max(2000, 'description must be at most 2000 characters')
    .nullish()
    .transform((text) => (text ? text : null)),
  /** The workspace it is created in (the caller must be an editor or owner there); left out: the caller's own. */
  workspaceId: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .nullish()
    .transform((id) => id ?? null),
  /**
   * Makes a retry safe: the knowledge base's id is derived from (owner, key), so a second create with the key finds
   * the first one's knowledge base instead of making another, across restarts and API instances (the key lives in
   * the log as that id). Left out: every create makes a new knowledge base.
   */
  idempotencyKey: z
    .string()
    .trim()
    .min(1, 'idempotencyKey must not be empty')
    .max(200, 'idempotencyKey must be at most 200 characters')
    .nullish()
    .transform((key) => key ?? undefined),
});
export type CreateKnowledgeBaseInput = Omit<z.infer<typeof createKnowledgeBaseInputSchema>, 'idempotencyKey' | 'workspaceId'> & {
  idempotencyKey?: string | undefined;
  workspaceId?: string | null;
};

export interface KnowledgeBaseView {
  id: string;
  name: string;
  description: string | null;
  ownerId: string;
  workspaceId: string | null;
  createdAt: string;
}

export interface CreateKnowledgeBaseOptions {
  /**
   * Checks a new knowledge base must pass (the quota). Not called for a retry that finds the knowledge base its
   * idempotency key already created: that one exists, it is not another.
   */
  admit?: () => Promise<void>;
  /** The creator's account role: an admin may create in any workspace. */
  creatorRole?: 'admin' | 'member';
}

export interface CreatedKnowledgeBase {
  knowledgeBase: KnowledgeBaseView;
  /** Log position of its KnowledgeBaseCreated: wait for it to read the knowledge base from the read model. */
  position: Position;
  /** false: a retry with the same idempotency key; nothing was appended. */
  created: boolean;
}

export interface KnowledgeBaseCommands {
  /** The same idempotency key with another name or description is CONFLICT. */
  create(
    ownerId: string,
    input: CreateKnowledgeBaseInput,
    metadata: EventMetadata,
    options?: CreateKnowledgeBaseOptions,
  ): Promise<CreatedKnowledgeBase>;
}
