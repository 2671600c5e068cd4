/**
 * Replays run by the server itself, so an embedded system (PGlite: one process owns the files) can be rebuilt and
 * audited while it serves: the rebuild goes into schemas of its own beside the live tables (replay-projection.ts),
 * one projection after another, one job at a time. Jobs live in memory: progress is for watching, the outcome is
 * the rebuilt schema (and, with swap, the live tables).
 */
import { randomUUID } from 'node:crypto';
import { on } from 'node:events';
import { EventEmitter } from 'node:events';
import { DomainError } from '../../contracts/errors.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import type { ReplayJobs, ReplayJobState, ReplayProjectionState } from '../../contracts/replay-jobs.ts';
import type { Sql } from '../../contracts/sql.ts';
import type { Projector } from '../../projections/runtime/index.ts';
import { replayProjection } from './replay-projection.ts';

export interface ReplayJobsDeps {
  eventStore: EventStore;
  projectors: readonly Projector[];
  /** The database each projector writes. */
  sqlOf(projector: Projector): Sql;
  onFinished?(job: ReplayJobState): void;
  /** Progress events at most this often per job (default 200 ms). */
  intervalMs?: number;
}

/** Finished jobs kept for reading. */
const KEPT = 20;

export function createReplayJobs(deps: ReplayJobsDeps): ReplayJobs {
  const jobs = new Map<string, ReplayJobState>();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  let running: string | undefined;
  const intervalMs = deps.intervalMs ?? 200;
  const lastSent = new Map<string, number>();

  const changed = (job: ReplayJobState, force = false) => {
    const now = Date.now();
    if (!force && now - (lastSent.get(job.id) ?? 0) < intervalMs) return;
    lastSent.set(job.id, now);
    changes.emit(job.id, structuredClone(job));
  };

  async function run(job: ReplayJobState): Promise<void> {
    for (const state of job.projections) {
      const projector = deps.projectors.find((p) => p.name === state.name)!;
      try {
        const outcome = await replayProjection(deps.sqlOf(projector), deps.eventStore, projector, job, (progress) => {
          Object.assign(state, progress);
          job.phase = progress.phase;
          changed(job, progress.events === 0);
        });
        Object.assign(state, {
          phase: 'done',
          events: outcome.events,
          fraction: 1,
          eventsPerSecond: outcome.eventsPerSecond,
          ms: Math.round(outcome.ms),
          equal: outcome.equal ?? null,
          differences: outcome.differences,
        } satisfies Partial<ReplayProjectionState>);
      } catch (error) {
        Object.assign(state, { phase: 'failed', error: error instanceof Error ? error.message : String(error) });
      }
      changed(job, true);
    }
    job.phase = job.projections.some((p) => p.phase === 'failed') ? 'failed' : 'done';
    job.finishedAt = new Date().toISOString();
    changed(job, true);
    deps.onFinished?.(job);
  }

  return {
    names: () => deps.projectors.map((p) => p.name),
    start({ names, verify, swap, requestedBy }) {
      if (running) throw new DomainError('CONFLICT', `replay ${running} is still running; watch it or wait for it to end`, { jobId: running });
      const known = deps.projectors.map((p) => p.name);
      const chosen = names.includes('all') ? known : [...new Set(names)];
      const unknown = chosen.filter((name) => !known.includes(name));
      if (chosen.length === 0 || unknown.length > 0) {
        throw new DomainError('BAD_USER_INPUT', `no projection named ${unknown.join(', ') || '(none)'}; projections: ${known.join(', ')} or all`, {
          field: 'names',
        });
      }
      const job: ReplayJobState = {
        id: randomUUID(),
        verify,
        swap,
        requestedBy,
        startedAt: new Date().toISOString(),
        finishedAt: null,
        phase: 'queued',
        projections: chosen.map((name) => ({
          name,
          phase: 'queued',
          events: 0,
          fraction: 0,
          eventsPerSecond: null,
          ms: null,
          equal: null,
          differences: [],
          error: null,
        })),
      };
      jobs.set(job.id, job);
      for (const id of [...jobs.keys()].slice(0, Math.max(0, jobs.size - KEPT))) jobs.delete(id);
      running = job.id;
      void run(job).finally(() => (running = undefined));
      return structuredClone(job);
    },
    get: (id) => {
      const job = jobs.get(id);
      return job && structuredClone(job);
    },
    async *watch(id, signal) {
      const job = jobs.get(id);
      if (!job) throw new DomainError('NOT_FOUND', `no replay job ${id}`, { jobId: id });
      // Listen first, then send the state now: a change in between arrives twice at worst, never not at all.
      const updates = on(changes, id, ...(signal ? [{ signal }] : []));
      yield structuredClone(job);
      if (job.finishedAt) return;
      try {
        for await (const [state] of updates as AsyncIterableIterator<[ReplayJobState]>) {
          yield state;
          if (state.finishedAt) return;
        }
      } catch (error) {
        if (!(signal?.aborted)) throw error;
      }
    },
  };
}
