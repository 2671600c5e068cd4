/** The `answerStream(turnId, afterSeq, minIntervalMs)` subscription field, which the chat slice adds to its resolvers. */
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { openAnswerStream, type AnswerStreamDeps } from './answer-stream.ts';
import { createDeliveryPacer } from './delivery-pacer.ts';
import type { OpenStreams } from './open-streams.ts';

export function createAnswerStreamResolvers(options: AnswerStreamDeps & { open?: OpenStreams }): ResolverMap {
  // One pacer for all of this server's answer streams: they share its event loop.
  const deps = { ...options, pacer: options.pacer ?? createDeliveryPacer() };
  return {
    Subscription: {
      answerStream: {
        async subscribe(_root: unknown, args: { turnId: string; afterSeq?: number | null; minIntervalMs?: number | null }, ctx: AppContext) {
          const user = ctx.requireUser();
          const actor = { id: user.id, role: user.role };
          const stream = await openAnswerStream(deps, actor, args.turnId, args.afterSeq ?? 0, { minIntervalMs: args.minIntervalMs ?? 0 });
          return options.open ? options.open.track(stream) : stream;
        },
        resolve: (chunk: AnswerChunk) => chunk,
      },
    },
  };
}
