/**
 * One live reader of the log for all projectors of a process, and for every other subscriber the composition root
 * gives it to (the saga, the ingestion worker, reactors: runtime.subscribeToAll). Each reading the store on its own
 * multiplied the reads per append by the number of subscribers (five log reads per append in the embedded
 * default), and PGlite serves them all on one connection, in front of the next append.
 *
 * The tail subscription starts at the head of the log when first needed and keeps the newest `capacity` events in
 * a buffer that holds EVERY event after `base`. A feed (one per projector) whose cursor is at or after `base` is
 * served from the buffer; one behind it (first start, restart, a rewind) pages through the store with readAll
 * until it reaches the buffer. The tail reads only while some feed waits at its end, so it never runs ahead of
 * every projector. Events at or before the visible head never change, so the two sources join without gap.
 */
import type { EventFilter, EventStore, EventSubscription, RecordedEvent } from '../../contracts/eventstore.ts';
import { comparePositions, type Position } from '../../contracts/position.ts';
import { matchesFilter } from './projector.ts';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class SharedLog {
  private buffer: RecordedEvent[] = [];
  /** The buffer holds every event after base; undefined until the tail starts. */
  private base: Position | undefined;
  private tail: EventSubscription | undefined;
  private starting: Promise<void> | undefined;
  private readonly waiters = new Set<Waiter>();
  private pumping = false;
  private closed = false;

  constructor(
    private readonly store: EventStore,
    private readonly options: { capacity: number; pageSize: number },
  ) {}

  /**
   * A feed of the events after `after` (only those `filter` passes, if given; a feed behind the buffer reads them
   * with the filter from the store). Like a store subscription, it returns an empty batch only once closed.
   */
  subscribe(after: Position, filter?: EventFilter): EventSubscription {
    let cursor = after;
    let closed = false;
    let wakeOnClose: (() => void) | undefined;
    const feed: EventSubscription = {
      nextBatch: async (max) => {
        while (!closed && !this.closed) {
          if (this.base === undefined) {
            await this.startTail();
            continue;
          }
          if (comparePositions(cursor, this.base) < 0) {
            const page = await this.store.readAll({ after: cursor, maxCount: max, ...(filter && { filter }) });
            if (closed) return [];
            if (page.length > 0) {
              cursor = page[page.length - 1]!.position;
              return page;
            }
          }
          const events = this.after(cursor, max);
          if (events.length > 0) {
            // Passed over, matching or not: the next look starts after them.
            cursor = events[events.length - 1]!.position;
            const passed = filter ? events.filter((event) => matchesFilter(filter, event)) : events;
            if (passed.length > 0) return passed;
            continue;
          }
          await new Promise<void>((resolve, reject) => {
            const waiter = { resolve, reject };
            wakeOnClose = () => {
              this.waiters.delete(waiter);
              resolve();
            };
            this.waiters.add(waiter);
            void this.pump();
          });
        }
        return [];
      },
      close: async () => {
        closed = true;
        wakeOnClose?.();
      },
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const batch = await feed.nextBatch(500);
          if (batch.length === 0) return;
          yield* batch;
        }
      },
    };
    return feed;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
    await this.tail?.close();
  }

  private startTail(): Promise<void> {
    this.starting ??= (async () => {
      const head = await this.store.headPosition();
      this.tail = this.store.subscribeToAll({ after: head });
      this.buffer = [];
      this.base = head;
    })().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Buffered events after `cursor` (which is at or after base), at most max. */
  private after(cursor: Position, max: number): RecordedEvent[] {
    let low = 0;
    let high = this.buffer.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (comparePositions(this.buffer[mid]!.position, cursor) <= 0) low = mid + 1;
      else high = mid;
    }
    return this.buffer.slice(low, low + max);
  }

  private async pump(): Promise<void> {
    if (this.pumping || !this.tail) return;
    this.pumping = true;
    const tail = this.tail;
    try {
      while (this.waiters.size > 0 && !this.closed) {
        const batch = await tail.nextBatch(this.options.pageSize);
        if (batch.length === 0) break;
        this.buffer.push(...batch);
        const excess = this.buffer.length - this.options.capacity;
        if (excess > 0) {
          this.base = this.buffer[excess - 1]!.position;
          this.buffer = this.buffer.slice(excess);
        }
        this.wakeAll();
      }
    } catch (error) {
      // The tail broke (store unreachable): waiting feeds fail, and the next one to ask starts a new tail.
      for (const waiter of this.waiters) waiter.reject(error);
      this.waiters.clear();
      this.base = undefined;
      this.tail = undefined;
      await tail.close().catch(() => undefined);
    } finally {
      this.pumping = false;
    }
  }

  private wakeAll(): void {
    const woken = [...this.waiters];
    this.waiters.clear();
    for (const waiter of woken) waiter.resolve();
  }
}
