/**
 * Turn.trail and Query.turnTrail: the turn's causation chain read from the log (query-side/audit/turn-trail.ts), for
 * its asker or an admin. An admin cannot read another user's turn (its question and answer are the asker's), so
 * reaches the chain by the turn's id, from a ledger line. The ownership is taken from the turn's own first event, like
 * auditTrail's, so it holds without read-model lag.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { amountOf } from '../audit/event-amount.ts';
import { eventStoreReader } from '../audit/stream-reader.ts';
import { readTurnTrail, type TurnTrail } from '../audit/turn-trail.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';

export interface TurnTrailResolverDeps {
  eventStore: Pick<EventStore, 'readStream'>;
}

/** The trail as GraphQL's TurnTrail. */
export function trailView(trail: TurnTrail) {
  const { charge, usage } = trail;
  return {
    events: trail.events.map((event) => ({
      position: event.position,
      stream: event.streamId,
      revision: event.revision,
      type: event.type,
      at: event.createdAt,
      amount: amountOf(event),
    })),
    model: trail.model,
    price: trail.price,
    hold: charge.hold,
    retrieved: trail.retrieved.map(({ n, documentId, documentName, revision, chunkId, score }) => ({
      n,
      documentId,
      documentName,
      revision,
      chunkId,
      score,
    })),
    usage: usage && { model: usage.model, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens },
    usageCost: charge.usageCost,
    settlement: charge.settlement,
    expected: charge.expected,
    charged: charge.charged,
    problems: charge.problems,
  };
}

export function createTurnTrailResolvers(deps: TurnTrailResolverDeps): ResolverMap {
  const reader = eventStoreReader(deps.eventStore);
  async function trailFor(turnId: string, ctx: AppContext) {
    const caller = ctx.requireUser();
    const trail = await readTurnTrail(reader, turnId);
    if (!trail) throw new DomainError('NOT_FOUND', `turn ${turnId} has no events`);
    if (caller.role !== 'admin' && trail.userId !== caller.id) {
      throw new DomainError('FORBIDDEN', 'only the asker of a turn or an admin may read its trail');
    }
    return trailView(trail);
  }
  return {
    Query: {
      turnTrail: (_root: unknown, args: { turnId: string }, ctx: AppContext) => trailFor(args.turnId, ctx),
    },
    Turn: {
      trail: (turn: { id: string }, _args: unknown, ctx: AppContext) => trailFor(turn.id, ctx),
    },
  };
}
