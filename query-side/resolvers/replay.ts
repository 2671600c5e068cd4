/**
 * Replay jobs over GraphQL (admins only): start one, read it, watch its progress. The jobs run in the server
 * (ops/app/replay-jobs.ts) behind the ReplayJobs port.
 */
import { DomainError } from '../../contracts/errors.ts';
import type { ReplayJobs, ReplayJobState } from '../../contracts/replay-jobs.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';

const upper = (job: ReplayJobState) => ({
  ...job,
  phase: job.phase.toUpperCase(),
  projections: job.projections.map((p) => ({ ...p, phase: p.phase.toUpperCase() })),
});

export function createReplayResolvers(deps: { jobs: ReplayJobs }): ResolverMap {
  return {
    Query: {
      replayJob(_root: unknown, args: { id: string }, ctx: AppContext) {
        ctx.requireAdmin();
        const job = deps.jobs.get(args.id);
        return job ? upper(job) : null;
      },
      replayableProjections(_root: unknown, _args: unknown, ctx: AppContext) {
        ctx.requireAdmin();
        return deps.jobs.names();
      },
    },
    Mutation: {
      replayProjections(_root: unknown, args: { names: string[]; verify?: boolean | null; swap?: boolean | null }, ctx: AppContext) {
        const admin = ctx.requireAdmin();
        return upper(deps.jobs.start({ names: args.names, verify: args.verify ?? false, swap: args.swap ?? false, requestedBy: admin.id }));
      },
    },
    Subscription: {
      replayProgress: {
        async subscribe(_root: unknown, args: { jobId: string }, ctx: AppContext) {
          ctx.requireAdmin();
          if (!deps.jobs.get(args.jobId)) throw new DomainError('NOT_FOUND', `no replay job ${args.jobId}`, { jobId: args.jobId });
          return deps.jobs.watch(args.jobId);
        },
        resolve: (job: ReplayJobState) => upper(job),
      },
    },
  };
}
