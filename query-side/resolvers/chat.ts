/**
 * Chat resolvers: ask, stopAnswer, regenerate, rateTurn (through the turn command port), and turn, conversation,
 * conversations, usage and KnowledgeBase.feedbackUp/Down (from the conversations read model). A turn and a
 * conversation are their asker's alone: anyone else, admins included, gets FORBIDDEN; an unknown id is NOT_FOUND.
 * Usage per model and day is the caller's own; an admin may read anyone's.
 * The answerStream subscription comes with the streaming layer.
 *
 * ask and regenerate answer with the turn as its stream holds it and do not wait for the read model: the answer
 * starts at once and the client follows it on answerStream. Query.turn falls back on the log for a turn the read
 * model has not reached yet, so "ask, then read the turn" never says it does not exist. rateTurn waits for the read
 * model, so the knowledge base's counts show the rating when it returns.
 */
import type { Position } from '../../contracts/position.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { TurnError, type TurnActor, type TurnCommands, type TurnView } from '../../contracts/turn-commands.ts';
import type { Rating } from '../../contracts/turns.ts';
import { CONVERSATIONS_PROJECTOR } from '../../projections/conversations/conversations-projector.ts';
import {
  dailyUsage,
  feedbackCounts,
  findConversation,
  findTurn,
  listConversations,
  turnsOfConversations,
  type ConversationRow,
  type FeedbackCounts,
} from '../../projections/conversations/conversations-read-model.ts';
import type { KnowledgeBaseRow } from '../../projections/knowledge-bases/knowledge-bases-read-model.ts';
import type { AuthUser } from '../auth/tokens.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { commandMetadata } from './identity.ts';

export interface ChatResolverDeps {
  commands: TurnCommands;
  /** The read-model database (the conversations projection's tables). */
  readModels: SqlExecutor;
  /** The log's head: rateTurn waits until the read model has reached it. */
  headPosition(): Promise<Position>;
}

const actorOf = (user: AuthUser): TurnActor => ({ id: user.id, role: user.role });

export function createChatResolvers(deps: ChatResolverDeps): ResolverMap {
  const { commands, readModels } = deps;

  async function ownTurn(caller: AuthUser, turnId: string): Promise<TurnView> {
    const row = await findTurn(readModels, turnId);
    // Asked a moment ago and not projected yet: the log has it (and checks the owner the same way).
    if (!row) return commands.turn(actorOf(caller), turnId);
    if (row.userId !== caller.id) throw new TurnError('FORBIDDEN', 'this turn belongs to someone else');
    return row;
  }

  async function withTurns(conversations: readonly ConversationRow[]) {
    const turns = await turnsOfConversations(readModels, conversations.map((c) => c.id));
    return conversations.map((conversation) => ({ ...conversation, turns: turns.get(conversation.id) ?? [] }));
  }

  // Both counts of a knowledge base come from one query, asked once per parent object (per request).
  const countsOf = new WeakMap<KnowledgeBaseRow, Promise<FeedbackCounts>>();
  const counts = (knowledgeBase: KnowledgeBaseRow) => {
    let pending = countsOf.get(knowledgeBase);
    if (!pending) countsOf.set(knowledgeBase, (pending = feedbackCounts(readModels, knowledgeBase.id)));
    return pending;
  };

  return {
    Mutation: {
      async ask(
        _root: unknown,
        args: { knowledgeBaseId: string; question: string; conversationId?: string | null; maxTokens?: number | null },
        ctx: AppContext,
      ) {
        return commands.ask(actorOf(ctx.requireUser()), args, commandMetadata(ctx));
      },
      async stopAnswer(_root: unknown, args: { turnId: string }, ctx: AppContext) {
        return commands.stop(actorOf(ctx.requireUser()), args.turnId, commandMetadata(ctx));
      },
      async regenerate(_root: unknown, args: { turnId: string }, ctx: AppContext) {
        return commands.regenerate(actorOf(ctx.requireUser()), args.turnId, commandMetadata(ctx));
      },
      async rateTurn(_root: unknown, args: { turnId: string; rating: Rating; comment?: string | null }, ctx: AppContext) {
        const actor = actorOf(ctx.requireUser());
        const turn = await commands.rate(actor, args.turnId, args.rating, args.comment ?? null, commandMetadata(ctx));
        // The turn is the rated one as its stream holds it, visible in the read model or not.
        await ctx.waitUntilVisible(await deps.headPosition(), [CONVERSATIONS_PROJECTOR]);
        return turn;
      },
    },
    Query: {
      async turn(_root: unknown, args: { id: string }, ctx: AppContext) {
        return ownTurn(ctx.requireUser(), args.id);
      },
      async conversation(_root: unknown, args: { id: string }, ctx: AppContext) {
        const caller = ctx.requireUser();
        const conversation = await findConversation(readModels, args.id);
        if (!conversation) throw new TurnError('CONVERSATION_NOT_FOUND', `conversation ${args.id} does not exist`);
        if (conversation.userId !== caller.id) throw new TurnError('FORBIDDEN', 'this conversation belongs to someone else');
        return (await withTurns([conversation]))[0];
      },
      async conversations(_root: unknown, _args: unknown, ctx: AppContext) {
        return withTurns(await listConversations(readModels, ctx.requireUser().id));
      },
      async usage(_root: unknown, args: { userId?: string | null }, ctx: AppContext) {
        const caller = ctx.requireUser();
        const userId = args.userId ?? caller.id;
        if (userId !== caller.id) ctx.requireAdmin();
        return dailyUsage(readModels, userId);
      },
    },
    KnowledgeBase: {
      feedbackUp: async (knowledgeBase: KnowledgeBaseRow) => (await counts(knowledgeBase)).up,
      feedbackDown: async (knowledgeBase: KnowledgeBaseRow) => (await counts(knowledgeBase)).down,
    },
  };
}
