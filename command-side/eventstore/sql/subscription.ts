/**
 * subscribeToAll on the SQL store: pages through the log from a position (catch-up), then waits for a wake-up and
 * reads again (live). The same query serves both, so there is no hand-over where an event could be lost or doubled.
 */
import type { EventFilter, EventSubscription, RecordedEvent } from '../../../contracts/eventstore.ts';
import { comparePositions, type Position } from '../../../contracts/position.ts';
import type { Sql } from '../../../contracts/sql.ts';
import { readLogPage } from './log-page.ts';
import type { Wakeup } from './wake.ts';
import { iterateBatches } from '../iterate-batches.ts';
import { backoffDelay } from '../../retry.ts';

export interface SubscriptionTiming {
  /** Poll even without a wake-up signal, in case a NOTIFY was lost. */
  pollIntervalMs: number;
  /** Longest pause between re-reads while an older transaction holds rows back (starts at 1 ms, doubles). */
  heldBackMaxDelayMs: number;
  /** Largest page read at once (PGlite has one connection: keep it short). */
  maxPage: number;
}

export class SqlSubscription implements EventSubscription {
  private closed = false;
  private cursor: Position | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Wake-up generation at which the last read found nothing more to read. */
  private caughtUpAt: number | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly wakeup: Wakeup,
    private readonly timing: SubscriptionTiming,
    private readonly filter: EventFilter | undefined,
    after: Position | undefined,
    private readonly onClose: (subscription: SqlSubscription) => void,
  ) {
    this.cursor = after;
  }

  nextBatch(max: number): Promise<RecordedEvent[]> {
    const next = this.queue.then(() => this.read(Math.max(1, Math.min(max, this.timing.maxPage))));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(max: number): Promise<RecordedEvent[]> {
    await this.wakeup.ready();
    let heldBackPolls = 0;
    while (!this.closed) {
      const since = this.wakeup.generation;
      // Caught up and nothing signalled since: sleep first instead of asking the database again.
      if (this.caughtUpAt === since) {
        await this.wakeup.sleep(this.timing.pollIntervalMs, since);
        this.caughtUpAt = undefined;
        continue;
      }
      let page;
      try {
        page = await readLogPage(this.sql, this.cursor, max, this.filter);
      } catch (error) {
        if (this.closed) return []; // the store closed its database under a pending read
        throw error;
      }
      if (this.closed) return [];
      const last = page.events.at(-1);
      // A short page covers everything up to the head, so a filtered subscription need not rescan skipped rows.
      const reached = page.events.length < max ? page.head : last?.position;
      if (reached && (this.cursor === undefined || comparePositions(reached, this.cursor) > 0)) this.cursor = reached;
      this.caughtUpAt = page.events.length < max && !page.heldBack ? since : undefined;
      if (last) return page.events;
      if (page.heldBack) {
        const heldBack = { firstDelayMs: 1, maxDelayMs: this.timing.heldBackMaxDelayMs, jitter: 0 };
        await this.wakeup.sleep(backoffDelay(heldBack, ++heldBackPolls), since);
      } else {
        heldBackPolls = 0;
      }
    }
    return [];
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return iterateBatches(this, this.timing.maxPage);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    this.wakeup.signal();
  }
}
