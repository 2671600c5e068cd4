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
