/**
 * Replay on a running server: admins rebuild, verify and swap read models from the log while the server serves (on
 * PGlite the only way: its files belong to this process). The jobs run where the api runs, on the databases and
 * projectors of this process.
 */
import { replaySchema } from '../../../contracts/graphql/replay.ts';
import { createReplayResolvers } from '../../../query-side/resolvers/replay.ts';
import { createReplayJobs } from '../replay-jobs.ts';
import type { Slice } from '../slice.ts';

export const replaySlice: Slice = {
  name: 'replay',
  schema: replaySchema,
  create(deps) {
    const jobs = createReplayJobs({
      eventStore: deps.eventStore,
      projectors: deps.projectors,
      sqlOf: (projector) => deps.databaseOf(projector.name),
      onFinished: (job) =>
        deps.logger.info(
          { jobId: job.id, phase: job.phase, projections: job.projections.map(({ name, phase, events, eventsPerSecond, equal }) => ({ name, phase, events, eventsPerSecond, equal })) },
          'replay finished',
        ),
    });
    return { resolvers: [createReplayResolvers({ jobs })] };
  },
};
