/**
 * Replay jobs run by a running server (admin): rebuild projections from the log into fresh tables, verify them
 * against the live ones, swap them in, with progress. The port the GraphQL resolvers use; ops/app runs the jobs.
 */
export type ReplayJobPhase = 'queued' | 'rebuilding' | 'verifying' | 'swapping' | 'done' | 'failed';

export interface ReplayProjectionState {
  name: string;
  phase: ReplayJobPhase;
  /** Events read from the log so far. */
  events: number;
  /** 0..1 of the log read. */
  fraction: number;
  eventsPerSecond: number | null;
  ms: number | null;
  /** With verify, once verified. */
  equal: boolean | null;
  differences: string[];
  error: string | null;
}

export interface ReplayJobState {
  id: string;
  verify: boolean;
  swap: boolean;
  requestedBy: string;
  startedAt: string;
  finishedAt: string | null;
  phase: ReplayJobPhase;
  projections: ReplayProjectionState[];
}

export interface ReplayJobs {
  /** The projections a job may name. */
  names(): readonly string[];
  /** Starts a job now; CONFLICT while another runs. */
  start(request: { names: readonly string[]; verify: boolean; swap: boolean; requestedBy: string }): ReplayJobState;
  get(id: string): ReplayJobState | undefined;
  /** The job's state now, then on every change (at most every intervalMs), ending after it is done or failed. */
  watch(id: string, signal?: AbortSignal): AsyncIterableIterator<ReplayJobState>;
}
