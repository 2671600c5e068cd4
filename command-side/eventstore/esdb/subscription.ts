/**
 * Wraps an EventStoreDB $all subscription (a Node stream, catch-up then live on the server) in the port's pull
 * API: a bounded buffer, paused when full, drained by nextBatch.
 */
import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import type { EventFilter, EventSubscription, RecordedEvent } from '../../../contracts/eventstore.ts';
import { comparePositions, type Position } from '../../../contracts/position.ts';
import { matchesFilter } from '../filter.ts';
import { toRecordedEvent, toStoreError } from './mapping.ts';
import { iterateBatches } from '../iterate-batches.ts';

const HIGH_WATER = 2000;

export class EsdbSubscription implements EventSubscription {
  private readonly buffer: RecordedEvent[] = [];
  private wake: (() => void) | undefined;
  private failure: unknown;
  private ended = false;
  private closed = false;

  constructor(
    private readonly source: AllStreamSubscription,
    private readonly filter: EventFilter | undefined,
    private readonly after: Position | undefined,
    private readonly url: string,
    private readonly onClose: (subscription: EsdbSubscription) => void,
  ) {
    source.on('data', (resolved: AllStreamResolvedEvent) => {
      const event = toRecordedEvent(resolved);
      if (!event || !matchesFilter(this.filter, event.type, event.streamId)) return;
      if (this.after && comparePositions(event.position, this.after) <= 0) return;
      this.buffer.push(event);
      if (this.buffer.length >= HIGH_WATER) source.pause();
      this.signal();
    });
    source.on('error', (error: unknown) => {
      if (!this.closed) this.failure = toStoreError(error, this.url);
      this.signal();
    });
    source.on('end', () => {
      this.ended = true;
      this.signal();
    });
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async nextBatch(max: number): Promise<RecordedEvent[]> {
    while (this.buffer.length === 0 && !this.closed && !this.ended && this.failure === undefined) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.closed) return [];
    if (this.buffer.length === 0 && this.failure !== undefined) throw this.failure;
    const batch = this.buffer.splice(0, Math.max(1, max));
    if (this.buffer.length < HIGH_WATER / 2 && this.source.isPaused()) this.source.resume();
    return batch;
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return iterateBatches(this, 500);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    this.signal();
    await this.source.unsubscribe().catch(() => undefined);
  }
}
