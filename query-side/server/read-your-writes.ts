/**
 * Read-your-writes that never reports a saved write as failed.
 *
 * A mutation appends its events, then waits (bounded by READ_YOUR_WRITES_TIMEOUT_MS) until the read models its
 * answer reads reflect them. When they do not in time (a lagging projector, a stopped one, a projector process that
 * is down), the events are in the log all the same: answering with an error would make a client retry and do it
 * twice (a second knowledge base, a second deposit reference…). So the wait only decides what the answer is built
 * from: the read model when it shows the write, else what the command decided (ids, values); the response then says
 * which writes are not visible yet in `extensions.notYetVisible`, and the client knows to read again later.
 */
import { isDomainError } from '../../contracts/errors.ts';
import type { Position } from '../../contracts/position.ts';

/** Waits until the named projectors (default: all) have processed `position`; rejects after timeoutMs. */
export type WaitForPosition = (
  position: Position,
  timeoutMs: number,
  projectors?: readonly string[],
) => Promise<void>;

/** A write that is in the log but not yet in the read models the answer was to be read from. */
export interface PendingWrite {
  /** Log position of the write: reads that wait for it (or a later one) see it. */
  position: Position;
  /** Read models that had not reached it. */
  readModels: readonly string[];
  /** Why, for a person (which projector is behind or stopped, and where). */
  reason: string;
}

/** The response extension that lists the pending writes of a request (absent when every write is visible). */
export const NOT_YET_VISIBLE_EXTENSION = 'notYetVisible';

export interface ReadYourWritesDeps {
  waitForPosition: WaitForPosition | undefined;
  timeoutMs: number;
}

function pendingWriteOf(error: unknown, position: Position, projectors: readonly string[] | undefined): PendingWrite {
  if (!isDomainError(error)) {
    // Not a lag we can describe (the checkpoints could not be read, say): the write is saved all the same.
    return { position, readModels: projectors ?? [], reason: 'the read models could not be checked' };
  }
  const details = error.details ?? {};
  const behind = Array.isArray(details.behind) ? details.behind.map(String) : undefined;
  const stopped = typeof details.projector === 'string' ? [details.projector] : undefined;
  return { position, readModels: behind ?? stopped ?? projectors ?? [], reason: error.message };
}

/**
 * Resolves true once the read models show `position` (or nothing was appended), false when they did not within the
 * bound; a false is recorded in `pending` for the response. Never rejects.
 */
export async function waitUntilVisible(
  deps: ReadYourWritesDeps,
  pending: PendingWrite[],
  position: Position | undefined,
  projectors?: readonly string[],
): Promise<boolean> {
  if (position === undefined || !deps.waitForPosition) return true;
  try {
    await deps.waitForPosition(position, deps.timeoutMs, projectors);
    return true;
  } catch (error) {
    pending.push(pendingWriteOf(error, position, projectors));
    return false;
  }
}
