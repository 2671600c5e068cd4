/**
 * Keeps a process manager's instances moving in a running process: follows the log from its checkpoint (catch-up
 * = the startup scan of unfinished instances, then live), drives every instance that starts or is woken, sweeps
 * the unfinished ones now and then (deadlines, steps that failed for a while), and moves the checkpoint only past
 * instances that are finished. A crash loses nothing: the restarted service reads from the checkpoint again, and
 * every step found done in an instance's stream is not done twice.
 */
import type { EventFilter, EventStore, EventSubscription, RecordedEvent } from '../../contracts/eventstore.ts';
import { comparePositions, type Position } from '../../contracts/position.ts';
import { OpenInstances } from './open-instances.ts';

/** Where the service is in the log: the shape of the SQL checkpoint stores the composition root has. */
export interface ServiceCheckpoints {
  load(name: string): Promise<Position>;
  save(name: string, position: Position): Promise<void>;
}

/** What an event means to the service: an instance starts, has news (drive it), or has finished. */
export interface Classified {
  instanceId: string;
  kind: 'start' | 'wake' | 'end';
}

export interface ServiceLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ProcessManagerServiceOptions {
  name: string;
  store: EventStore;
  checkpoints: ServiceCheckpoints;
  filter: EventFilter;
  classify(event: RecordedEvent): Classified | undefined;
  /** Called for every classified event before the instance is driven (e.g. abort a generation on a stop). */
  onEvent?(event: RecordedEvent, classified: Classified): void;
  /** Drives one instance until it has nothing left to do; resolves true when it is finished. */
  drive(instanceId: string, signal: AbortSignal): Promise<boolean>;
  /** Instances driven at once. Default 256. */
  concurrency?: number;
  /** How often unfinished instances that are not running are driven again. Default 2000 ms. */
  sweepMs?: number;
  /**
   * The checkpoint is written at most this often (and when the service stops). A crash then re-reads at most this
   * much of the log, whose steps are found done; under load it saves a write per instance. Default 200 ms.
   */
  checkpointEveryMs?: number;
  logger?: ServiceLogger;
}

export interface ProcessManagerService {
  /** Drives an instance now (e.g. right after this process started it), without waiting for the log. */
  kick(instanceId: string): void;
  /** Resolves when the catch-up is read and nothing is queued or running (tests). */
  idle(): Promise<void>;
  /** Stops following and driving; running steps see their signal aborted. The checkpoint stays valid. */
  stop(): Promise<void>;
}

export async function startProcessManagerService(options: ProcessManagerServiceOptions): Promise<ProcessManagerService> {
  const { name, store, checkpoints, logger } = options;
  const concurrency = options.concurrency ?? 256;
  const abort = new AbortController();
  const from = await checkpoints.load(name);
  const open = new OpenInstances(from);
  const subscription: EventSubscription = store.subscribeToAll({ after: from, filter: options.filter });
  const running = new Map<string, { again: boolean }>();
  const queued: string[] = [];
  const settled = new Set<() => void>();
  let saved = from;
  let saving = Promise.resolve();
  let caughtUp = false;
  const checkpointEveryMs = options.checkpointEveryMs ?? 200;
  let lastSavedAt = Number.NEGATIVE_INFINITY;
  let saveLater: NodeJS.Timeout | undefined;

  function saveCheckpoint(): void {
    if (saveLater) return;
    const wait = lastSavedAt + checkpointEveryMs - performance.now();
    if (wait <= 0) return saveNow();
    // Checked again when the timer fires: Node's timers run on the loop's millisecond clock and can fire up to ~1 ms
    // before `wait` has passed on performance.now() (seen: a checkpoint 298.9 ms after the one before, at 300).
    saveLater = setTimeout(() => {
      saveLater = undefined;
      saveCheckpoint();
    }, wait);
    saveLater.unref();
  }

  function saveNow(): void {
    const target = open.checkpoint();
    if (comparePositions(target, saved) <= 0) return;
    lastSavedAt = performance.now();
    saved = target;
    saving = saving
      .then(() => checkpoints.save(name, target))
      .catch((error: unknown) => logger?.warn({ err: error, service: name }, 'saving the checkpoint failed'));
  }

  function schedule(instanceId: string): void {
    if (abort.signal.aborted) return;
    const active = running.get(instanceId);
    if (active) active.again = true;
    else if (!queued.includes(instanceId)) queued.push(instanceId);
    pump();
  }

  function pump(): void {
    while (running.size < concurrency && queued.length > 0 && !abort.signal.aborted) {
      const instanceId = queued.shift()!;
      const entry = { again: false };
      running.set(instanceId, entry);
      void options
        .drive(instanceId, abort.signal)
        .then(
          (finished) => {
            if (finished) open.finished(instanceId);
          },
          (error: unknown) => {
            if (!abort.signal.aborted) logger?.error({ err: error, service: name, instanceId }, 'driving an instance failed');
          },
        )
        .finally(() => {
          running.delete(instanceId);
          if (entry.again && open.has(instanceId)) schedule(instanceId);
          saveCheckpoint();
          pump();
          notifyIfIdle();
        });
    }
  }

  function notifyIfIdle(): void {
    if (!caughtUp || running.size > 0 || queued.length > 0) return;
    for (const resolve of settled) resolve();
    settled.clear();
  }

  function handle(event: RecordedEvent): void {
    const classified = options.classify(event);
    if (!classified) return open.read(event.position);
    const { instanceId, kind } = classified;
    if (kind === 'start') open.started(instanceId, event.position);
    else open.read(event.position);
    options.onEvent?.(event, classified);
    if (kind === 'end') open.finished(instanceId);
    else if (kind === 'start' || open.has(instanceId)) schedule(instanceId);
  }

  const follow = (async () => {
    // The head at start: once read past it, the startup scan is done.
    const head = await store.headPosition();
    if (comparePositions(head, from) <= 0) caughtUp = true;
    while (!abort.signal.aborted) {
      const batch = await subscription.nextBatch(200);
      if (batch.length === 0) break;
      for (const event of batch) handle(event);
      if (!caughtUp && comparePositions(batch.at(-1)!.position, head) >= 0) caughtUp = true;
      saveCheckpoint();
      notifyIfIdle();
    }
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) logger?.error({ err: error, service: name }, 'following the log failed');
  });

  const sweep = setInterval(() => {
    for (const instanceId of open.ids()) if (!running.has(instanceId)) schedule(instanceId);
  }, options.sweepMs ?? 2000);
  sweep.unref();

  return {
    kick: schedule,
    idle() {
      return new Promise<void>((resolve) => {
        settled.add(resolve);
        notifyIfIdle();
      });
    },
    async stop() {
      abort.abort();
      clearInterval(sweep);
      await subscription.close();
      await follow;
      while (running.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      clearTimeout(saveLater);
      saveLater = undefined;
      saveNow();
      await saving;
      for (const resolve of settled) resolve();
    },
  };
}
