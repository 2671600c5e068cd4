/**
 * The pipeline worker's backlog: which document triggers (DocumentUploaded, DocumentReindexRequested) it keeps in
 * memory, and how far its checkpoint may move.
 *
 * Memory stays bounded without hiding anyone's next document from the fair queue (fair-queue.ts). Triggers are
 * counted per flow, [uploader, knowledge base]: at most `perFlow` of one flow are kept, and at most `perUser` of one
 * user's flows, except that a flow with none in memory always keeps one, so every knowledge base's next document is
 * known. A trigger over those limits is set back: it stays in the log, its flow remembers only the position just
 * before it, and the flow's later triggers are set back too (a flow stays in log order). Once the flow has fewer than
 * half of `perFlow` in memory, its triggers are read back from the log: readAll from that position up to the last
 * trigger the subscription gave (the subscription delivers the rest), taking the flow's own and skipping the others'.
 * The worker stops reading the subscription only at `total` triggers in memory, and goes on as documents finish.
 *
 * Why: with a bound on the total alone (the worker used to keep 200 and then stop reading), a queue of 200 documents
 * stopped the reading, and an upload behind it was not even seen until that queue drained: no fair order can take a
 * document it has not read. Set-back positions are one per flow; a flow is set back only while it has triggers in
 * memory, and drained flows are read back before the subscription is read further, so they stay few as well.
 *
 * Checkpoint: each trigger kept remembers the position of the trigger read before it (`after`). The checkpoint may
 * move to the lowest `after` of the triggers kept and not done and of the set-back positions, or, with neither, to
 * the last trigger read: no trigger is passed before its document is done, wherever it waits.
 */
import type { EventFilter, EventStore, RecordedEvent } from '../../../contracts/eventstore.ts';
import { comparePositions, type Position } from '../../../contracts/position.ts';
import type { DocumentOwner, DocumentOwners } from './document-owners.ts';

export interface BacklogLimits {
  /** Triggers in memory, all users: the worker stops reading the log here (one batch may go over). */
  total: number;
  /** Triggers of one user in memory (beyond that, only the first of each knowledge base). */
  perUser: number;
  /** Triggers of one flow (user, knowledge base) in memory. */
  perFlow: number;
}

export const DEFAULT_BACKLOG_LIMITS: BacklogLimits = { total: 200, perUser: 32, perFlow: 16 };

export interface Flow {
  readonly key: string;
  readonly user: string;
  readonly knowledgeBaseId: string;
  queued: number;
  /** The position just before the flow's first set-back trigger; undefined while none is set back. */
  setBack: Position | undefined;
}

export interface Entry {
  readonly position: Position;
  /** The trigger read before it: as far as the checkpoint may go while this one is not done. */
  readonly after: Position;
  readonly flow: Flow;
}

export interface BacklogDeps {
  store: Pick<EventStore, 'readAll'>;
  owners: DocumentOwners;
  /** The subscription's filter: read-back must see the same sequence of triggers. */
  filter: EventFilter;
  limits?: BacklogLimits;
  /** Events per readAll while reading back. Default 100. */
  page?: number;
}

export class Backlog {
  private readonly open = new Set<Entry>();
  private readonly flows = new Map<string, Flow>();
  private readonly users = new Map<string, number>();
  private readonly limits: BacklogLimits;

  constructor(private readonly deps: BacklogDeps) {
    this.limits = deps.limits ?? DEFAULT_BACKLOG_LIMITS;
  }

  /** Triggers in memory whose document is not done. */
  get size(): number {
    return this.open.size;
  }

  get full(): boolean {
    return this.open.size >= this.limits.total;
  }

  /** Whether triggers wait in the log to be read back. */
  get hasSetBack(): boolean {
    for (const flow of this.flows.values()) if (flow.setBack !== undefined) return true;
    return false;
  }

  /** A trigger from the subscription, read right after `after`: its entry when kept, undefined when set back. */
  async admit(event: RecordedEvent, after: Position, signal: AbortSignal): Promise<Entry | undefined> {
    const flow = this.flowOf(await this.deps.owners.of(event, signal));
    if (flow.setBack === undefined && this.hasRoom(flow)) return this.keep(flow, event.position, after);
    flow.setBack ??= after;
    return undefined;
  }

  /**
   * Reads back the set-back triggers of flows running low, up to `until` (the last trigger the subscription gave),
   * handing each one kept to `kept`. Resolves true when it read anything. A failed read can be repeated: each flow's
   * set-back position moves along with every trigger looked at.
   */
  async readBack(until: Position, signal: AbortSignal, kept: (event: RecordedEvent, entry: Entry) => void): Promise<boolean> {
    let read = false;
    for (const flow of this.flows.values()) {
      if (flow.setBack === undefined || flow.queued >= this.limits.perFlow / 2 || !this.hasRoom(flow) || this.full) continue;
      read = true;
      await this.readFlowBack(flow, until, signal, kept);
      this.forgetIfIdle(flow);
    }
    return read;
  }

  /** The document of `entry` is done (indexed, failed or gone). */
  finish(entry: Entry): void {
    if (!this.open.delete(entry)) return;
    const { flow } = entry;
    flow.queued--;
    const left = (this.users.get(flow.user) ?? 1) - 1;
    if (left > 0) this.users.set(flow.user, left);
    else this.users.delete(flow.user);
    this.forgetIfIdle(flow);
  }

  /** How far the checkpoint may move, given the last trigger read from the subscription. */
  checkpoint(lastRead: Position): Position {
    let floor = lastRead;
    for (const { after } of this.open) if (comparePositions(after, floor) < 0) floor = after;
    for (const { setBack } of this.flows.values()) {
      if (setBack !== undefined && comparePositions(setBack, floor) < 0) floor = setBack;
    }
    return floor;
  }

  clear(): void {
    this.open.clear();
    this.flows.clear();
    this.users.clear();
  }

  private async readFlowBack(flow: Flow, until: Position, signal: AbortSignal, kept: (event: RecordedEvent, entry: Entry) => void) {
    const page = this.deps.page ?? 100;
    for (;;) {
      signal.throwIfAborted(); // a worker stopping does not wait for a long read-back
      const events = await this.deps.store.readAll({ after: flow.setBack!, maxCount: page, filter: this.deps.filter });
      for (const event of events) {
        if (comparePositions(event.position, until) > 0) return void (flow.setBack = undefined);
        const owner = await this.deps.owners.of(event, signal);
        if (owner.user === flow.user && owner.knowledgeBaseId === flow.knowledgeBaseId) {
          if (!this.hasRoom(flow) || this.full) return;
          kept(event, this.keep(flow, event.position, flow.setBack!));
        }
        flow.setBack = event.position;
      }
      if (events.length < page) return void (flow.setBack = undefined);
    }
  }

  private hasRoom(flow: Flow): boolean {
    return flow.queued === 0 || (flow.queued < this.limits.perFlow && (this.users.get(flow.user) ?? 0) < this.limits.perUser);
  }

  private keep(flow: Flow, position: Position, after: Position): Entry {
    const entry: Entry = { position, after, flow };
    this.open.add(entry);
    flow.queued++;
    this.users.set(flow.user, (this.users.get(flow.user) ?? 0) + 1);
    return entry;
  }

  private flowOf(owner: DocumentOwner): Flow {
    const key = JSON.stringify([owner.user, owner.knowledgeBaseId]);
    let flow = this.flows.get(key);
    if (!flow) {
      flow = { key, user: owner.user, knowledgeBaseId: owner.knowledgeBaseId, queued: 0, setBack: undefined };
      this.flows.set(key, flow);
    }
    return flow;
  }

  private forgetIfIdle(flow: Flow): void {
    if (flow.queued === 0 && flow.setBack === undefined && this.flows.get(flow.key) === flow) this.flows.delete(flow.key);
  }
}
