/**
 * npm run replay -- … --server <url>: asks the running server to replay (replayProjections) and follows the job over
 * a graphql-ws subscription (replayProgress), drawing its progress. Exit code as in the local mode: 0 done (and equal
 * when verified), 1 different or failed, 2 refused.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { ReplayJobState, ReplayProjectionState } from '../../contracts/replay-jobs.ts';
import type { ReplayOptions } from '../app/replay-projection.ts';
import { progressBars, type ProjectionBar } from './replay-progress.ts';

const JOB_FIELDS = 'id phase finishedAt projections { name phase events fraction eventsPerSecond ms equal differences error }';
const START = `mutation Replay($names: [String!]!, $verify: Boolean, $swap: Boolean) {
  replayProjections(names: $names, verify: $verify, swap: $swap) { ${JOB_FIELDS} } }`;
const PROGRESS = `subscription ReplayProgress($jobId: ID!) { replayProgress(jobId: $jobId) { ${JOB_FIELDS} } }`;

/** The job as GraphQL sends it: the port's state, phases in capitals. */
type ProjectionView = Omit<ReplayProjectionState, 'phase'> & { phase: string };
type JobView = Pick<ReplayJobState, 'id' | 'finishedAt'> & { phase: string; projections: ProjectionView[] };

export async function replayThroughServer(url: string, token: string | undefined, names: string[], options: ReplayOptions): Promise<number> {
  if (!token) {
    console.error('set KA_ADMIN_TOKEN to an admin access token (sign in as an admin; the web app keeps it in localStorage)');
    return 2;
  }
  const base = url.replace(/\/+$/, '');
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: START, variables: { names, ...options } }),
  });
  const started = (await response.json()) as { data?: { replayProjections: JobView }; errors?: { message: string }[] };
  if (!started.data) {
    console.error(`the server refused: ${started.errors?.map((e) => e.message).join('; ') ?? response.statusText}`);
    return 2;
  }
  const job = started.data.replayProjections;
  console.log(`replay ${job.id} on ${base}: ${job.projections.map((p) => p.name).join(', ')}`);
  const client = createClient({ url: `${base.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
  const bars = progressBars();
  const shown = new Map<string, ProjectionBar>();
  let last: JobView = job;
  try {
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ replayProgress: JobView }>(
        { query: PROGRESS, variables: { jobId: job.id } },
        {
          next: ({ data, errors }) => {
            if (errors?.length) return reject(new Error(errors.map((e) => e.message).join('; ')));
            if (!data) return;
            last = data.replayProgress;
            for (const p of last.projections) {
              if (p.phase === 'QUEUED') continue;
              const bar = shown.get(p.name) ?? bars.bar(p.name);
              shown.set(p.name, bar);
              bar.update(p.fraction, p.events, p.phase.toLowerCase());
            }
          },
          error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
          complete: () => resolve(),
        },
      );
    });
  } finally {
    bars.stop();
    await client.dispose();
  }
  let ok = last.phase === 'DONE';
  for (const p of last.projections) {
    const verdict = p.error ? `FAILED: ${p.error}` : p.equal === null ? 'rebuilt' : p.equal ? 'EQUAL to the live tables' : 'DIFFERENT from the live tables';
    console.log(`${p.name}: ${p.events} events in ${p.ms ?? '?'} ms (${p.eventsPerSecond ?? '?'} events/s), ${verdict}`);
    for (const difference of p.differences) console.log(`  ${difference}`);
    if (p.equal === false) ok = false;
  }
  return ok ? 0 : 1;
}
