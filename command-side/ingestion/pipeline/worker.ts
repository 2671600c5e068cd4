/**
 * The pipeline worker (ROLE=worker): follows document events from its own checkpoint and drives every uploaded or
 * reindexed document through processDocument, a few at a time. The checkpoint only moves past an event once the
 * document it names is done, so after a crash the restarted worker takes up exactly the unfinished documents, and
 * the deterministic appends of processDocument make that repeat harmless. One bad file ends as DocumentFailed;
 * an infrastructure error (database, blob store) is retried with backoff, never dropped.
 * Before driving a document the worker claims it (document-claims.ts). A document another worker holds is set
 * aside and tried again every `claimRetryMs`, its slot going to the next document meanwhile; once the claim is
 * granted, processDocument finds it done (and returns at once) or resumes it (its holder died).
 *
 * Fair shares: queued documents are not taken in log order but in start-time fair order over [uploader, knowledge
 * base] (fair-queue.ts): users take turns, a user's knowledge bases take turns within the user's. A user's single
 * document waits for the documents already running (about one document's processing time), not for another user's
 * queue. A reindex takes a turn of the document's uploader, whoever asked (document-owners.ts). The fair order
 * needs every knowledge base's next document read from the log while memory stays bounded: the backlog (backlog.ts)
 * keeps a few triggers per knowledge base and user, leaves the rest in the log to read back later, and tells how far
 * the checkpoint may move.
 */
import { DOCUMENT_EVENT_TYPES, parseDocumentEvent } from '../../../contracts/documents.ts';
import { DomainError } from '../../../contracts/errors.ts';
import type { EventFilter, EventMetadata, EventSubscription, RecordedEvent } from '../../../contracts/eventstore.ts';
import { comparePositions, START, type Position } from '../../../contracts/position.ts';
import { documentStream } from '../../../contracts/streams.ts';
import { handleCommand } from '../../decider.ts';
import { documentDecider } from '../../documents/decider.ts';
import { documentEventId } from '../../documents/ids.ts';
import { backoffDelay, retry, sleepUnlessAborted, type Backoff } from '../../retry.ts';
import { Backlog, type Entry } from './backlog.ts';
import type { WorkerCheckpoints } from './checkpoint.ts';
import { inProcessDocumentClaims, type DocumentClaim, type DocumentClaims } from './document-claims.ts';
import { documentOwners } from './document-owners.ts';
import { FairQueue } from './fair-queue.ts';
import { processDocument, type PipelineDeps } from './process-document.ts';

export interface WorkerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PipelineWorkerOptions extends PipelineDeps {
  checkpoints: WorkerCheckpoints;
  logger: WorkerLogger;
  /** Checkpoint key. Default 'document-pipeline'. */
  name?: string;
  /** Documents processed at once. Default 2. */
  concurrency?: number;
  /** First retry delay after an infrastructure error (doubles, capped at 30 s). Default 500. */
  retryDelayMs?: number;
  /** Who drives which document when several workers run. Default: in-process (one worker process). */
  claims?: DocumentClaims;
  /** How often a document claimed by another worker is tried again. Default 1000. */
  claimRetryMs?: number;
}

export interface PipelineWorker {
  start(): Promise<void>;
  /** Stops taking work, lets running steps finish, keeps the checkpoint where it is. */
  stop(): Promise<void>;
  /** Resolves once nothing is queued or running (tests, benchmarks). */
  idle(): Promise<void>;
}

/** Events that give a document work to do; the worker's own later events need no reaction. */
const TRIGGERS = DOCUMENT_EVENT_TYPES.filter((type) => type === 'DocumentUploaded' || type === 'DocumentReindexRequested');
const FILTER: EventFilter = { streamPrefixes: ['document-'], eventTypes: TRIGGERS };
const READ_BATCH = 50;

/** done: the document is indexed, failed or gone; later: claimed elsewhere or lost, try again; stopped: shutting down. */
type DriveOutcome = 'done' | 'later' | 'stopped';

interface Pending {
  running: boolean;
  /** Entries the running drive will cover, and those that arrived after it started. */
  covered: Entry[];
  waiting: Entry[];
  trigger: RecordedEvent;
  /** Its flow in the fair queue: [uploader, knowledge base]. */
  keys: [string, string];
}

/** A rule of the decider refused a step: retrying cannot help (CONFLICT and UNAVAILABLE can). */
const isRefusal = (error: unknown): error is DomainError =>
  error instanceof DomainError && error.code !== 'CONFLICT' && error.code !== 'UNAVAILABLE';

export function createPipelineWorker(options: PipelineWorkerOptions): PipelineWorker {
  const { logger, checkpoints } = options;
  const name = options.name ?? 'document-pipeline';
  const concurrency = options.concurrency ?? 2;
  const claims = options.claims ?? inProcessDocumentClaims();
  const claimRetryMs = options.claimRetryMs ?? 1000;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const backoff: Backoff = { firstDelayMs: retryDelayMs, maxDelayMs: 30_000, jitter: 0 };
  const owners = documentOwners(options.store, {
    retryDelayMs,
    onRetry: (error, documentId) => logger.warn({ err: error, documentId }, 'finding the uploader of a document failed; retrying'),
  });
  const backlog = new Backlog({ store: options.store, owners, filter: FILTER });
  const setAside = new Set<ReturnType<typeof setTimeout>>();
  const pending = new Map<string, Pending>();
  let queue = new FairQueue<string>(2);
  /** The last trigger read from the subscription, and the checkpoint last saved. */
  let lastRead: Position = START;
  let saved: Position = START;
  let active = 0;
  let subscription: EventSubscription | undefined;
  let abort = new AbortController();
  let pump: Promise<void> | undefined;
  let saving = Promise.resolve();
  const wakers = new Set<() => void>();
  const wake = () => {
    for (const w of wakers) w();
    wakers.clear();
  };
  const changed = () => new Promise<void>((resolve) => wakers.add(resolve));

  /** A trigger the backlog kept: its document joins the fair queue, or the entries of its pending drive. */
  function track(event: RecordedEvent, entry: Entry): void {
    const documentId = String(event.data.documentId);
    let doc = pending.get(documentId);
    if (!doc) {
      const keys: [string, string] = [entry.flow.user, entry.flow.knowledgeBaseId];
      doc = { running: false, covered: [], waiting: [], trigger: event, keys };
      pending.set(documentId, doc);
      queue.push(doc.keys, documentId);
    }
    doc.waiting.push(entry);
    doc.trigger = event;
  }

  /** Saves the checkpoint just before the oldest trigger whose document is not done. */
  function advance(): void {
    const target = backlog.checkpoint(lastRead);
    if (comparePositions(target, saved) <= 0) return;
    saved = target;
    saving = saving
      .then(() => checkpoints.save(name, target))
      .catch((error: unknown) => logger.warn({ err: error, worker: name }, 'saving the pipeline checkpoint failed'));
  }

  /** Claims the document and takes it as far as it goes; throws when a step failed. */
  async function driveOnce(documentId: string, metadata: EventMetadata): Promise<DriveOutcome> {
    let claim: DocumentClaim | undefined;
    try {
      claim = await claims.claim(documentId, abort.signal);
      if (!claim) return abort.signal.aborted ? 'stopped' : 'later';
      const signal = AbortSignal.any([abort.signal, claim.lost]);
      const state = await processDocument(options, documentId, metadata, signal);
      if (abort.signal.aborted) return 'stopped';
      if (claim.lost.aborted) {
        logger.warn({ documentId, reason: String(claim.lost.reason) }, 'document claim lost; trying again later');
        return 'later';
      }
      if (state.status === 'failed') logger.info({ documentId, reason: state.error }, 'document failed');
      return 'done';
    } finally {
      await claim?.release();
    }
  }

  /** Infrastructure errors retry until the worker stops; a refused step ends the document. */
  async function drive(documentId: string, trigger: RecordedEvent): Promise<DriveOutcome> {
    const metadata = { correlationId: trigger.metadata.correlationId ?? documentId, causationId: trigger.id };
    try {
      return await retry(() => driveOnce(documentId, metadata), {
        retries: Infinity,
        backoff,
        signal: abort.signal,
        shouldRetry: (error) => !isRefusal(error),
        onRetry: (error, failures, delayMs) =>
          logger.warn({ err: error, documentId, failures, delayMs }, 'pipeline step failed; retrying'),
      });
    } catch (error) {
      if (!isRefusal(error)) {
        if (abort.signal.aborted) return 'stopped';
        throw error;
      }
      // A rule of the decider refused the worker's own step: a bug, not a reason to stop the other documents.
      logger.error({ err: error, documentId }, 'pipeline step refused');
      await failDocument(documentId, `processing stopped: ${error.message}`, metadata).catch(() => undefined);
      return 'done';
    }
  }

  /** Tries a document another worker holds again later; its trigger entries stay open, so the checkpoint waits. */
  function setDocumentAside(documentId: string, doc: Pending): void {
    const timer = setTimeout(() => {
      setAside.delete(timer);
      if (abort.signal.aborted) return;
      queue.push(doc.keys, documentId);
      schedule();
    }, claimRetryMs);
    setAside.add(timer);
  }

  async function failDocument(documentId: string, reason: string, metadata: EventMetadata): Promise<void> {
    // Every document event carries the revision; the newest is the one to fail.
    const [last] = await options.store.readStream(documentStream(documentId), { direction: 'backwards', maxCount: 1 });
    const revision = last ? parseDocumentEvent(last).data.revision : 1;
    await handleCommand(options.store, documentStream(documentId), documentDecider, {
      type: 'FailDocument',
      data: { revision, step: 'index', code: 'PROCESSING_STOPPED', reason },
    }, { metadata, eventId: documentEventId });
  }

  function schedule(): void {
    while (active < concurrency && queue.size > 0 && !abort.signal.aborted) {
      const documentId = queue.shift()!;
      const doc = pending.get(documentId)!;
      doc.running = true;
      doc.covered = doc.waiting;
      doc.waiting = [];
      active++;
      const driven = drive(documentId, doc.trigger).catch((error: unknown): DriveOutcome => {
        logger.error({ err: error, documentId }, 'driving a document failed unexpectedly; trying again later');
        return 'later';
      });
      void driven.then((outcome) => {
        active--;
        doc.running = false;
        if (outcome === 'done') for (const entry of doc.covered) backlog.finish(entry);
        else doc.waiting.unshift(...doc.covered);
        doc.covered = [];
        if (abort.signal.aborted) pending.delete(documentId);
        else if (outcome === 'later') setDocumentAside(documentId, doc);
        else if (doc.waiting.length > 0) queue.push(doc.keys, documentId);
        else pending.delete(documentId);
        advance();
        schedule();
        wake();
      });
    }
  }

  /** Reads set-back triggers of knowledge bases running low back from the log (backlog.ts). */
  async function readBack(): Promise<void> {
    if (!(await backlog.readBack(lastRead, abort.signal, track))) return;
    schedule();
    advance();
    wake();
  }

  async function run(sub: EventSubscription): Promise<void> {
    let next: Promise<RecordedEvent[]> | undefined;
    let failures = 0;
    try {
      while (!abort.signal.aborted) {
        // Created first, so that a document finishing while set-back triggers are read back is not missed.
        const woken = changed();
        try {
          await readBack();
          failures = 0;
        } catch (error) {
          if (abort.signal.aborted) return;
          const delay = backoffDelay(backoff, ++failures);
          logger.warn({ err: error, worker: name, delayMs: delay }, 'reading set-back documents failed; retrying');
          await sleepUnlessAborted(delay, abort.signal);
          continue;
        }
        if (backlog.full) {
          await woken;
          continue;
        }
        if (!next) {
          next = sub.nextBatch(READ_BATCH);
          next.catch(() => undefined); // it may fail while nobody awaits it; the race below still sees that
        }
        // Waiting for new events must not keep set-back triggers from being read back as documents finish.
        const batch = await Promise.race([next, woken.then(() => undefined)]);
        if (batch === undefined) continue;
        next = undefined;
        if (batch.length === 0) return;
        for (const event of batch) {
          const entry = await backlog.admit(event, lastRead, abort.signal);
          if (entry) track(event, entry);
          lastRead = event.position;
        }
        schedule();
        wake();
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error; // the subscription failed (admit throws only once stopped)
    }
  }

  return {
    async start() {
      if (pump) return;
      abort = new AbortController();
      const after = await checkpoints.load(name);
      lastRead = saved = after;
      subscription = options.store.subscribeToAll({ after, filter: FILTER });
      pump = run(subscription).catch((error: unknown) => logger.error({ err: error, worker: name }, 'pipeline worker stopped'));
      logger.info({ worker: name, after }, 'pipeline worker started');
    },
    async stop() {
      if (!pump) return;
      abort.abort();
      for (const timer of setAside) clearTimeout(timer);
      setAside.clear();
      await subscription?.close();
      wake();
      await pump;
      while (active > 0) await changed();
      await saving;
      pump = undefined;
      backlog.clear();
      pending.clear();
      queue = new FairQueue<string>(2);
    },
    async idle() {
      while (backlog.size > 0 || backlog.hasSetBack || active > 0) await changed();
    },
  };
}
