/**
 * auditTrail(stream, after, limit): the events of one stream straight from the log, for its owner or an admin.
 *
 * Ownership is decided by the stream's prefix, from the log itself (so it holds without projection lag):
 * user-{id} and wallet-{id} belong to that user; apikey-{id} to the ownerId of its first event; conversation-{id}
 * and turn-{id} to the userId of their first event (a turn may instead name its conversation), falling back to the
 * user who appended that first event. kb-{id}, document-{id} (through the knowledge base its first event names) and
 * workspace-{id} are read by whoever is OWNER there now (a personal knowledge base's creator, a workspace's owners;
 * `TeamOwners`, from the log), so a member who left no longer reads them. Any other stream (email reservations, the
 * first-admin claim, streams added later) is for admins only.
 * Secrets never leave: password hashes and token hashes are redacted from data and metadata.
 */
import { z } from 'zod';
import { DomainError } from '../../contracts/errors.ts';
import type { EventStore, JsonObject, RecordedEvent } from '../../contracts/eventstore.ts';
import { comparePositions, isPosition, START } from '../../contracts/position.ts';
import { conversationStream } from '../../contracts/streams.ts';
import type { AccessActor } from '../../contracts/workspaces.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { parseInput } from './identity.ts';

/** Whether an actor is OWNER of a knowledge base or a workspace now, from the log. */
export interface TeamOwners {
  ofKnowledgeBase(knowledgeBaseId: string, actor: AccessActor): Promise<boolean>;
  ofWorkspace(workspaceId: string, actor: AccessActor): Promise<boolean>;
}

export interface AuditResolverDeps {
  eventStore: Pick<EventStore, 'readStream'>;
  owners: TeamOwners;
}

export const MAX_AUDIT_LIMIT = 1000;
const PAGE = 500;

const auditInputSchema = z.object({
  stream: z.string().min(1, 'stream must not be empty').max(300, 'stream name is too long'),
  after: z
    .string()
    .refine(isPosition, 'after must be a log position such as "12-3"')
    .nullish()
    .transform((after) => after ?? START),
  limit: z
    .number()
    .int()
    .min(1, 'limit must be at least 1')
    .max(MAX_AUDIT_LIMIT, `limit must be at most ${MAX_AUDIT_LIMIT}`)
    .nullish()
    .transform((limit) => limit ?? 100),
});

const SECRET_KEY = /password|secret|tokenhash|^(refresh|access)token$/i;

/** A copy of a JSON value with every secret-looking field replaced. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? '[redacted]' : redactSecrets(inner)]),
  );
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

type OwnerOf = (streamId: string) => Promise<string | undefined>;
type OwnerRule = (id: string, first: RecordedEvent | undefined, ownerOf: OwnerOf) => Promise<string | undefined>;

const creator = (first: RecordedEvent | undefined) => text(first?.data.userId) ?? text(first?.metadata.userId);

const OWNER_RULES: Readonly<Record<string, OwnerRule>> = {
  'user-': async (id) => id,
  'wallet-': async (id) => id,
  'apikey-': async (_id, first) => text(first?.data.ownerId),
  'conversation-': async (_id, first) => text(first?.data.ownerId) ?? creator(first),
  'turn-': async (_id, first, ownerOf) => {
    const conversationId = text(first?.data.conversationId);
    const direct = text(first?.data.userId);
    if (direct !== undefined || conversationId === undefined) return direct ?? creator(first);
    return (await ownerOf(conversationStream(conversationId))) ?? creator(first);
  },
};

export function createAuditResolvers(deps: AuditResolverDeps): ResolverMap {
  const firstEvent = async (streamId: string) => (await deps.eventStore.readStream(streamId, { maxCount: 1 }))[0];

  const ownerOf: OwnerOf = async (streamId) => {
    const prefix = Object.keys(OWNER_RULES).find((p) => streamId.startsWith(p) && streamId.length > p.length);
    if (prefix === undefined) return undefined;
    const rule = OWNER_RULES[prefix]!;
    const needsFirst = prefix !== 'user-' && prefix !== 'wallet-';
    return rule(streamId.slice(prefix.length), needsFirst ? await firstEvent(streamId) : undefined, ownerOf);
  };

  /** kb-, document- and workspace- streams: their owners now. */
  async function ownsTeamStream(streamId: string, actor: AccessActor): Promise<boolean> {
    const [, prefix, id] = /^(kb|document|workspace)-(.+)$/.exec(streamId) ?? [];
    if (prefix === 'workspace') return deps.owners.ofWorkspace(id!, actor);
    const knowledgeBaseId = prefix === 'kb' ? id : prefix === 'document' ? text((await firstEvent(streamId))?.data.knowledgeBaseId) : undefined;
    return knowledgeBaseId !== undefined && deps.owners.ofKnowledgeBase(knowledgeBaseId, actor);
  }

  const eventsAfter = async (streamId: string, after: string, limit: number): Promise<RecordedEvent[]> => {
    const found: RecordedEvent[] = [];
    for (let fromRevision = 0; found.length < limit; fromRevision += PAGE) {
      const page = await deps.eventStore.readStream(streamId, { fromRevision, maxCount: PAGE });
      found.push(...page.filter((event) => comparePositions(event.position, after) > 0));
      if (page.length < PAGE) break;
    }
    return found.slice(0, limit);
  };

  return {
    Query: {
      async auditTrail(_root: unknown, args: { stream: string; after?: string | null; limit?: number | null }, ctx: AppContext) {
        const caller = ctx.requireUser();
        const { stream, after, limit } = parseInput(auditInputSchema, args);
        if (caller.role !== 'admin' && !(await ownsTeamStream(stream, caller)) && (await ownerOf(stream)) !== caller.id) {
          throw new DomainError('FORBIDDEN', 'only the owner of a stream or an admin may read its audit trail');
        }
        const events = await eventsAfter(stream, after, limit);
        return events.map((event) => ({
          id: event.id,
          position: event.position,
          stream: event.streamId,
          revision: event.revision,
          type: event.type,
          at: event.createdAt,
          data: JSON.stringify(redactSecrets(event.data as JsonObject)),
          metadata: JSON.stringify(redactSecrets(event.metadata)),
        }));
      },
    },
  };
}
