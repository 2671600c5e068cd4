/** The async iterator of every EventSubscription, built on its nextBatch: one event at a time, closed at the end. */
import type { EventSubscription, RecordedEvent } from '../../contracts/eventstore.ts';

export async function* iterateBatches(
  subscription: Pick<EventSubscription, 'nextBatch' | 'close'>,
  pageSize: number,
): AsyncGenerator<RecordedEvent> {
  try {
    for (;;) {
      const batch = await subscription.nextBatch(pageSize);
      if (batch.length === 0) return;
      yield* batch;
    }
  } finally {
    await subscription.close();
  }
}
