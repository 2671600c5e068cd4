/**
 * The pipeline worker (ROLE=worker): follows document events from its own checkpoint and drives every uploaded or
 * reindexed document through processDocument, a few at a time. The checkpoint only moves past an event once the
 * document it names is done, so after a crash the restarted worker takes up exactly the unfinished documents, and
 * the deterministic appends of processDocument make that repeat harmless. One bad file ends as DocumentFailed;
 * an infrastructure error (database, blob store) is retried with backoff, never dropped.
 * Before driving a document the worker claims it (document-claims.ts). A document another worker holds is set
 * aside and tried again every `claimRetryMs`, its slot going to the next document meanwhile; once the claim is
 * granted, processDocument finds it done (and returns at once) or resumes it (its holder died).
 */
import { DOCUMENT_EVENT_TYPES } from '../../../contracts/documents.ts';
import { DomainError } from '../../../contracts/errors.ts';
import type { EventMetadata, EventSubscription, RecordedEvent } from '../../../contracts/eventstore.ts';
import type { Position } from '../../../contracts/position.ts';
import { documentStream } from '../../../contracts/streams.ts';
import { handleCommand } from '../../decider.ts';
import { documentDecider } from '../../documents/decider.ts';
import { documentEventId } from '../../documents/ids.ts';
import type { WorkerCheckpoints } from './checkpoint.ts';
import { inProcessDocumentClaims, type DocumentClaim, type DocumentClaims } from './document-claims.ts';
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
const MAX_QUEUED = 200;

/** done: the document is indexed, failed or gone; later: claimed elsewhere or lost, try again; stopped: shutting down. */
type DriveOutcome = 'done' | 'later' | 'stopped';

interface Entry {
  position: Position;
  done: boolean;
}
interface Pending {
  running: boolean;
  /** Entries the running drive will cover, and those that arrived after it started. */
  covered: Entry[];
  waiting: Entry[];
  trigger: RecordedEvent;
}

export function createPipelineWorker(options: PipelineWorkerOptions): PipelineWorker {
  const { logger, checkpoints } = options;
  const name = options.name ?? 'document-pipeline';
  const concurrency = options.concurrency ?? 2;
  const claims = options.claims ?? inProcessDocumentClaims();
  const claimRetryMs = options.claimRetryMs ?? 1000;
  const setAside = new Set<ReturnType<typeof setTimeout>>();
  const entries: Entry[] = [];
  const pending = new Map<string, Pending>();
  const ready: string[] = [];
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

  function track(event: RecordedEvent): void {
    const documentId = String(event.data.documentId);
    const entry: Entry = { position: event.position, done: false };
    entries.push(entry);
    const doc = pending.get(documentId) ?? { running: false, covered: [], waiting: [], trigger: event };
    doc.waiting.push(entry);
    doc.trigger = event;
    if (!pending.has(documentId)) {
      pending.set(documentId, doc);
      ready.push(documentId);
    }
  }

  function advance(): void {
    let position: Position | undefined;
    while (entries[0]?.done) position = entries.shift()!.position;
    if (position === undefined) return;
    const target = position;
    saving = saving
      .then(() => checkpoints.save(name, target))
      .catch((error: unknown) => logger.warn({ err: error, worker: name }, 'saving the pipeline checkpoint failed'));
  }

  async function drive(documentId: string, trigger: RecordedEvent): Promise<DriveOutcome> {
    const metadata = { correlationId: trigger.metadata.correlationId ?? documentId, causationId: trigger.id };
    for (let attempt = 0; !abort.signal.aborted; attempt++) {
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
      } catch (error) {
        if (error instanceof DomainError && error.code !== 'CONFLICT' && error.code !== 'UNAVAILABLE') {
          // A rule of the decider refused the worker's own step: a bug, not a reason to stop the other documents.
          logger.error({ err: error, documentId }, 'pipeline step refused');
          await failDocument(documentId, `processing stopped: ${error.message}`, metadata).catch(() => undefined);
          return 'done';
        }
        const delay = Math.min(30_000, (options.retryDelayMs ?? 500) * 2 ** attempt);
        logger.warn({ err: error, documentId, attempt, delayMs: delay }, 'pipeline step failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      } finally {
        await claim?.release();
      }
    }
    return 'stopped';
  }

  /** Tries a document another worker holds again later; its trigger entries stay open, so the checkpoint waits. */
  function setDocumentAside(documentId: string): void {
    const timer = setTimeout(() => {
      setAside.delete(timer);
      if (abort.signal.aborted) return;
      ready.push(documentId);
      schedule();
    }, claimRetryMs);
    setAside.add(timer);
  }

  async function failDocument(documentId: string, reason: string, metadata: EventMetadata): Promise<void> {
    const events = await options.store.readStream(documentStream(documentId));
    const revision = Number(events.findLast((e) => typeof e.data.revision === 'number')?.data.revision ?? 1);
    await handleCommand(options.store, documentStream(documentId), documentDecider, {
      type: 'FailDocument',
      data: { revision, step: 'index', reason },
    }, { metadata, eventId: documentEventId });
  }

  function schedule(): void {
    while (active < concurrency && ready.length > 0 && !abort.signal.aborted) {
      const documentId = ready.shift()!;
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
        if (outcome === 'done') for (const entry of doc.covered) entry.done = true;
        else doc.waiting.unshift(...doc.covered);
        doc.covered = [];
        if (abort.signal.aborted) pending.delete(documentId);
        else if (outcome === 'later') setDocumentAside(documentId);
        else if (doc.waiting.length > 0) ready.push(documentId);
        else pending.delete(documentId);
        advance();
        schedule();
        wake();
      });
    }
  }

  async function run(sub: EventSubscription): Promise<void> {
    while (!abort.signal.aborted) {
      while (entries.length >= MAX_QUEUED && !abort.signal.aborted) await changed();
      const batch = await sub.nextBatch(50);
      if (batch.length === 0) return;
      for (const event of batch) track(event);
      schedule();
      wake();
    }
  }

  return {
    async start() {
      if (pump) return;
      abort = new AbortController();
      const after = await checkpoints.load(name);
      subscription = options.store.subscribeToAll({ after, filter: { streamPrefixes: ['document-'], eventTypes: TRIGGERS } });
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
      entries.length = 0;
      pending.clear();
      ready.length = 0;
    },
    async idle() {
      while (entries.length > 0 || active > 0) await changed();
    },
  };
}
