/**
 * The projection runtime: runs every projector this process holds the lease for, reports their health, and lets
 * queries wait for their own writes (waitForPosition).
 *
 * waitForPosition resolves once every named projector (default: all) reflects every event up to the position; on
 * timeout it REJECTS with DomainError UNAVAILABLE naming the projectors behind and where they are, and at once when
 * one of them has failed before reaching it: a query then answers with a clear error instead of stale data.
 * Projectors running in this process are watched in memory; the others (another process holds their lease, or this
 * process runs no projectors, e.g. ROLE=api) through their checkpoint rows, polled every 25 ms.
 */
import type { Logger } from 'pino';
import type { EventStore, EventSubscription, SubscribeOptions } from '../../contracts/eventstore.ts';
import { DomainError } from '../../contracts/errors.ts';
import { START, comparePositions, type Position } from '../../contracts/position.ts';
import { SqlError, type Sql } from '../../contracts/sql.ts';
import { readCheckpoints } from './checkpoints.ts';
import { singleProcessLease, type ProjectorLease } from './lease.ts';
import { assertValidProjector, type Projector } from './projector.ts';
import { SharedLog } from './shared-log.ts';
import { ProjectorRunner, type AfterCommit, type ProjectorHealth } from './runner.ts';

export interface ProjectionRuntimeOptions {
  /** The database of every projector's rows and checkpoint, unless `databases` names another. */
  sql: Sql;
  /**
   * Projector name -> its own database (rows and checkpoint together). The embedded default gives the search index
   * its own PGlite: one PGlite serves one statement at a time, and vector inserts would hold every other read model.
   */
  databases?: Readonly<Record<string, Sql>>;
  eventStore: EventStore;
  projectors: readonly Projector[];
  logger: Logger;
  /** Default: single-process (PGlite). Use advisoryLockLease(a connection to DATABASE_URL) when processes share a Postgres. */
  lease?: ProjectorLease;
  /** Called after each committed batch with the events it handled, once their rows are visible. */
  afterCommit?: AfterCommit;
  /** Events per live batch (default 500). */
  batchSize?: number;
  /** Newest events kept in memory for all projectors (default 1000); a projector further behind reads the store. */
  bufferedEvents?: number;
  flushIntervalMs?: number;
  /** How often a standby retries the lease and a holder checks it still holds it (default 5000). */
  leaseCheckMs?: number;
  /** Default bound of waitForPosition (default 5000). */
  waitTimeoutMs?: number;
}

export interface WaitOptions {
  /** Default: all projectors. */
  projectors?: readonly string[];
  timeoutMs?: number;
}

export interface ProjectionRuntime {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Starts a failed (or stopped) projector again from its checkpoint. */
  restart(projector: string): Promise<void>;
  health(): ProjectorHealth[];
  waitForPosition(position: Position, options?: WaitOptions): Promise<void>;
  /**
   * A subscription to the log served by the projectors' shared reader (EventStore.subscribeToAll's contract): the
   * composition root hands it to the process's other subscribers, so one read per append serves them all.
   */
  subscribeToAll(options?: SubscribeOptions): EventSubscription;
}

const POLL_MS = 25;

export function createProjectionRuntime(options: ProjectionRuntimeOptions): ProjectionRuntime {
  const { logger } = options;
  const sqlOf = (name: string): Sql => options.databases?.[name] ?? options.sql;
  const lease = options.lease ?? singleProcessLease();
  const progressWaiters = new Set<() => void>();
  const onProgress = () => {
    for (const wake of progressWaiters) wake();
    progressWaiters.clear();
  };
  const batchSize = options.batchSize ?? 500;
  const log = new SharedLog(options.eventStore, { capacity: options.bufferedEvents ?? 1000, pageSize: batchSize });
  const runners = new Map<string, ProjectorRunner>();
  for (const projector of options.projectors) {
    assertValidProjector(projector);
    if (runners.has(projector.name)) throw new TypeError(`two projectors are named ${projector.name}`);
    const deps = {
      sql: sqlOf(projector.name),
      eventStore: options.eventStore,
      subscribe: (after: Position) => log.subscribe(after),
      logger,
      batchSize,
      flushIntervalMs: options.flushIntervalMs ?? 100,
      onProgress,
      ...(options.afterCommit && { afterCommit: options.afterCommit }),
    };
    runners.set(projector.name, new ProjectorRunner(projector, deps));
  }
  let leaseTimer: NodeJS.Timeout | undefined;
  let started = false;

  const runner = (name: string) => {
    const found = runners.get(name);
    if (!found) throw new TypeError(`no projector named ${name}`);
    return found;
  };

  async function superviseLease(r: ProjectorRunner): Promise<void> {
    const name = r.projector.name;
    if (r.active) {
      if (!(await lease.holds(name))) {
        logger.warn({ projector: name }, 'projector lease lost: standing by');
        await r.stop('standby');
      }
    } else if (r.status === 'standby' || r.status === 'idle') {
      if (await lease.tryAcquire(name)) await r.start();
      else if (r.status === 'idle') r.status = 'standby';
    }
  }

  const superviseAll = () =>
    Promise.all(
      [...runners.values()].map((r) =>
        superviseLease(r).catch((error: unknown) => logger.warn({ err: error, projector: r.projector.name }, 'lease check failed')),
      ),
    );

  function nextProgress(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        progressWaiters.delete(wake);
        resolve();
      }, ms);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      progressWaiters.add(wake);
    });
  }

  async function storedPositionsIn(sql: Sql, names: string[]): Promise<Map<string, Position>> {
    try {
      return await readCheckpoints(sql, names);
    } catch (error) {
      if (error instanceof SqlError && error.code === '42P01') return new Map(); // no projector ever ran
      throw error;
    }
  }

  /** Checkpoints as stored, each read from its projector's database. */
  async function storedPositions(names: string[]): Promise<Map<string, Position>> {
    const byDatabase = new Map<Sql, string[]>();
    for (const name of names) byDatabase.set(sqlOf(name), [...(byDatabase.get(sqlOf(name)) ?? []), name]);
    const found = await Promise.all([...byDatabase].map(([sql, some]) => storedPositionsIn(sql, some)));
    return new Map(found.flatMap((positions) => [...positions]));
  }

  /** Projectors still behind `target` ([] when caught up); throws when one failed before reaching it. */
  async function behind(target: Position, names: readonly string[]): Promise<string[]> {
    const pending: string[] = [];
    const remote: string[] = [];
    for (const name of names) {
      const r = runner(name);
      const reached = comparePositions(r.position, target) >= 0;
      if (r.status === 'failed' && !reached) {
        throw new DomainError('UNAVAILABLE', `read model ${name} is stopped by a failing event: ${r.error?.message}`, {
          projector: name,
          position: r.position,
        });
      }
      if (r.active) {
        if (r.status !== 'running' || !reached) pending.push(name);
      } else if (r.status !== 'failed') remote.push(name);
    }
    if (remote.length > 0) {
      const stored = await storedPositions(remote);
      pending.push(...remote.filter((name) => comparePositions(stored.get(name) ?? START, target) < 0));
    }
    return pending;
  }

  return {
    async start() {
      if (started) return;
      started = true;
      await superviseAll();
      if (lease.kind !== 'single-process') {
        leaseTimer = setInterval(() => void superviseAll(), options.leaseCheckMs ?? 5000);
        leaseTimer.unref();
      }
    },
    async stop() {
      clearInterval(leaseTimer);
      started = false;
      await Promise.all([...runners.values()].map((r) => r.stop()));
      await log.close();
      await Promise.all([...runners.keys()].map((name) => lease.release(name).catch(() => undefined)));
      await lease.close();
    },
    async restart(name) {
      const r = runner(name);
      await r.stop();
      if (await lease.tryAcquire(name)) await r.start();
      else r.status = 'standby';
    },
    health: () => [...runners.values()].map((r) => r.health()),
    subscribeToAll: (subscribe = {}) => log.subscribe(subscribe.after ?? START, subscribe.filter),
    async waitForPosition(target, waitOptions = {}) {
      const names = waitOptions.projectors ?? [...runners.keys()];
      const timeoutMs = waitOptions.timeoutMs ?? options.waitTimeoutMs ?? 5000;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const pending = await behind(target, names);
        if (pending.length === 0) return;
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          const where = pending.map((name) => `${name} at ${runner(name).position}`).join(', ');
          throw new DomainError('UNAVAILABLE', `read models not caught up to ${target} within ${timeoutMs} ms: ${where}`, {
            position: target,
            behind: pending,
          });
        }
        const anyRemote = pending.some((name) => !runner(name).active);
        await nextProgress(anyRemote ? Math.min(POLL_MS, remaining) : remaining);
      }
    },
  };
}
