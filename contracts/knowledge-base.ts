/**
 * Knowledge bases: the events of the `kb-{id}` stream, the validated input of createKnowledgeBase and the command
 * port the query side calls.
 */
import { z } from 'zod';
import type { EventMetadata } from './eventstore.ts';
import type { Position } from './position.ts';

export type KnowledgeBaseCreated = {
  type: 'KnowledgeBaseCreated';
  data: {
    knowledgeBaseId: string;
    /** The creator owns it. */
    ownerId: string;
    name: string;
    description: string | null;
    createdAt: string;
  };
};

export type KnowledgeBaseEvent = KnowledgeBaseCreated;

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
});
export type CreateKnowledgeBaseInput = z.infer<typeof createKnowledgeBaseInputSchema>;

export interface KnowledgeBaseView {
  id: string;
  name: string;
  description: string | null;
  ownerId: string;
  createdAt: string;
}

export interface KnowledgeBaseCommands {
  create(
    ownerId: string,
    input: CreateKnowledgeBaseInput,
    metadata: EventMetadata,
  ): Promise<{ knowledgeBase: KnowledgeBaseView; position: Position }>;
}
