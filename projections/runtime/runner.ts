/**
 * Runs one projector: subscribes to the log after its checkpoint and, per batch, writes its rows and its checkpoint
 * in one transaction. The transaction locks the checkpoint row and skips events at or before it, so an event seen
 * twice (redelivery, restart, a second instance) changes nothing. Batches with no event for this projector move
 * the checkpoint lazily (at most every flushIntervalMs): they change no rows, so re-reading them after a crash is
 * harmless, and the projector does not spend a transaction per ignored batch.
 * A failing batch is retried one event per transaction, which commits the good prefix and names the failing event;
 * the projector then stops (status failed) until restarted, and the others go on.
 */
import type { Logger } from 'pino';
import type { EventStore, EventSubscription, RecordedEvent } from '../../contracts/eventstore.ts';
import { START, comparePositions, maxPosition, type Position } from '../../contracts/position.ts';
import type { Sql } from '../../contracts/sql.ts';
import { prepareProjection, readCheckpoint, writeCheckpoint } from './checkpoints.ts';
import { matchesFilter, type Projector } from './projector.ts';
import { rebuildProjection } from './rebuild.ts';
import { swapRebuild } from './swap.ts';

export type ProjectorStatus = 'idle' | 'standby' | 'starting' | 'rebuilding' | 'running' | 'failed' | 'stopped';

export interface ProjectorFailure {
  message: string;
  /** Position of the event that failed (or of the checkpoint when starting failed). */
  position: Position;
  eventId?: string;
  eventType?: string;
  streamId?: string;
  at: string;
}

export interface ProjectorHealth {
  name: string;
  version: number;
  status: ProjectorStatus;
  /** Every event at or before it is reflected in the rows. */
  position: Position;
  error?: ProjectorFailure;
}

export type AfterCommit = (projector: string, events: readonly RecordedEvent[]) => void | Promise<void>;

export interface RunnerDeps {
  sql: Sql;
  /** For rebuilds on a version change. */
  eventStore: EventStore;
  /** Every event after a position, catch-up then live (the process's shared log). */
  subscribe: (after: Position) => EventSubscription;
  logger: Logger;
  batchSize: number;
  flushIntervalMs: number;
  afterCommit?: AfterCommit;
  /** Called whenever position or status changes (waitForPosition listens). */
  onProgress: () => void;
}

type Outcome = 'ok' | 'rewound' | 'failed';

export class ProjectorRunner {
  status: ProjectorStatus = 'idle';
  position: Position = START;
  error: ProjectorFailure | undefined;
  /** The checkpoint as this runner last wrote or read it. */
  private committed: Position = START;
  private subscription: EventSubscription | undefined;
  private loop: Promise<void> | undefined;
  private serialTail: Promise<unknown> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly log: Logger;

  constructor(
    readonly projector: Projector,
    private readonly deps: RunnerDeps,
  ) {
    this.log = deps.logger.child({ projector: projector.name });
  }

  health(): ProjectorHealth {
    const { name, version } = this.projector;
    return { name, version, status: this.status, position: this.position, ...(this.error && { error: this.error }) };
  }

  get active(): boolean {
    return this.status === 'starting' || this.status === 'rebuilding' || this.status === 'running';
  }

  /** Never throws: a projector that cannot start is `failed`, with the reason in its health. */
  async start(): Promise<void> {
    if (this.active) return;
    this.setStatus('starting');
    this.error = undefined;
    try {
      await this.prepare();
    } catch (error) {
      this.fail(undefined, error);
      return;
    }
    this.setStatus('running');
    this.flushTimer = setInterval(() => void this.serial(() => this.flush()).catch(() => undefined), this.deps.flushIntervalMs);
    this.flushTimer.unref();
    this.loop = this.run();
  }

  private async prepare(): Promise<void> {
    const { sql } = this.deps;
    const prepared = await sql.transaction((tx) => prepareProjection(tx, this.projector));
    let checkpoint = prepared.checkpoint;
    if (prepared.stale) {
      this.setStatus('rebuilding');
      this.log.info({ from: checkpoint.version, to: this.projector.version }, 'projector version changed: rebuilding');
      const rebuilt = await rebuildProjection({ sql, eventStore: this.deps.eventStore, projector: this.projector });
      checkpoint = await swapRebuild(sql, this.projector, rebuilt.schema);
      this.log.info({ events: rebuilt.events, ms: Math.round(rebuilt.ms) }, 'projector rebuilt');
    }
    this.position = this.committed = checkpoint.position;
  }

  /** Stops the subscription and writes a pending checkpoint; `standby` when the lease was lost. */
  async stop(status: 'stopped' | 'standby' = 'stopped'): Promise<void> {
    const wasFailed = this.status === 'failed';
    if (!wasFailed) this.setStatus(status);
    clearInterval(this.flushTimer);
    await this.subscription?.close();
    await this.loop;
    await this.serial(() => this.flush()).catch((error: unknown) => this.log.warn({ err: error }, 'checkpoint flush failed'));
  }

  private async run(): Promise<void> {
    while (this.status === 'running') {
      const subscription = this.deps.subscribe(this.position);
      this.subscription = subscription;
      try {
        for (;;) {
          const batch = await subscription.nextBatch(this.deps.batchSize);
          if (batch.length === 0 || this.status !== 'running') break;
          if ((await this.serial(() => this.apply(batch))) !== 'ok') break;
        }
      } catch (error) {
        this.log.warn({ err: error }, 'subscription failed: resubscribing in 1 s');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      } finally {
        await subscription.close();
      }
    }
  }

  /** Batches and checkpoint flushes take turns. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.serialTail.then(fn);
    this.serialTail = result.catch(() => undefined);
    return result;
  }

  private async apply(batch: readonly RecordedEvent[]): Promise<Outcome> {
    const last = batch[batch.length - 1]!.position;
    const relevant = batch.filter(
      (event) => comparePositions(event.position, this.position) > 0 && matchesFilter(this.projector.filter, event),
    );
    const perTransaction = this.projector.maxEventsPerTransaction ?? Math.max(relevant.length, 1);
    for (let start = 0; start < relevant.length; start += perTransaction) {
      const slice = relevant.slice(start, start + perTransaction);
      try {
        const outcome = await this.commit(slice, slice[slice.length - 1]!.position);
        if (outcome !== 'ok') return outcome;
      } catch (error) {
        const outcome = await this.isolateFailure(slice, error);
        if (outcome !== 'ok') return outcome;
      }
    }
    if (comparePositions(last, this.position) > 0) this.advance(last);
    return 'ok';
  }

  /** One transaction: lock the checkpoint, handle what it does not cover yet, move it to `through`. */
  private async commit(events: readonly RecordedEvent[], through: Position): Promise<Outcome> {
    const { name, version } = this.projector;
    const result = await this.deps.sql.transaction(async (tx) => {
      const stored = (await readCheckpoint(tx, name, 'update'))?.position ?? START;
      if (comparePositions(stored, this.committed) < 0) return { rewindTo: stored };
      const fresh = events.filter((event) => comparePositions(event.position, stored) > 0);
      if (fresh.length > 0) await this.projector.handle(fresh, tx, { projector: name, rebuilding: false });
      const position = maxPosition(stored, through);
      await writeCheckpoint(tx, name, { position, version });
      return { fresh, position };
    });
    if (result.rewindTo !== undefined) return this.rewind(result.rewindTo);
    this.committed = result.position;
    this.advance(result.position);
    if (result.fresh.length > 0 && this.deps.afterCommit) {
      try {
        await this.deps.afterCommit(name, result.fresh);
      } catch (error) {
        this.log.warn({ err: error }, 'afterCommit hook failed');
      }
    }
    return 'ok';
  }

  private async isolateFailure(events: readonly RecordedEvent[], batchError: unknown): Promise<Outcome> {
    for (const event of events) {
      try {
        const outcome = await this.commit([event], event.position);
        if (outcome !== 'ok') return outcome;
      } catch (error) {
        this.fail(event, events.length === 1 ? batchError : error);
        return 'failed';
      }
    }
    this.log.warn({ err: batchError }, 'batch failed, but each of its events passed alone');
    return 'ok';
  }

  private fail(event: RecordedEvent | undefined, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const at = new Date().toISOString();
    this.error = event
      ? { message, position: event.position, eventId: event.id, eventType: event.type, streamId: event.streamId, at }
      : { message, position: this.position, at };
    const { message: _message, ...where } = this.error;
    this.log.error({ err: error, ...where }, `projector ${this.projector.name} stopped: ${message}`);
    clearInterval(this.flushTimer);
    this.setStatus('failed');
  }

  /** The stored checkpoint went back (a rebuild was swapped in): follow it and resubscribe from there. */
  private rewind(to: Position): Outcome {
    this.log.info({ from: this.committed, to }, 'checkpoint moved back: resubscribing');
    this.position = this.committed = to;
    this.deps.onProgress();
    return 'rewound';
  }

  private async flush(): Promise<void> {
    if (comparePositions(this.position, this.committed) <= 0) return;
    const { name, version } = this.projector;
    const target = this.position;
    const outcome = await this.deps.sql.transaction(async (tx) => {
      const stored = (await readCheckpoint(tx, name, 'update'))?.position ?? START;
      if (comparePositions(stored, this.committed) < 0) return stored;
      await writeCheckpoint(tx, name, { position: maxPosition(stored, target), version });
      return undefined;
    });
    if (outcome === undefined) this.committed = maxPosition(this.committed, target);
    else {
      this.rewind(outcome);
      await this.subscription?.close();
    }
  }

  private advance(position: Position): void {
    this.position = position;
    this.deps.onProgress();
  }

  private setStatus(status: ProjectorStatus): void {
    this.status = status;
    this.deps.onProgress();
  }
}
