/**
 * Gives the event loop a turn every few milliseconds of work. The projector shares its process with the API (the
 * embedded default runs everything in one), and its own work between SQL statements (terms of a 256 kB chunk event,
 * of every chunk of an 8,000-chunk document on delete) would otherwise hold every request for seconds.
 */
export const SLICE_MS = 8;

export interface EventLoopTurns {
  /** Resolves at once within the slice; past it, after a setImmediate (timers and I/O run meanwhile). */
  maybeYield(): Promise<void>;
}

export function eventLoopTurns(sliceMs = SLICE_MS): EventLoopTurns {
  let sliceStart = performance.now();
  return {
    async maybeYield() {
      if (performance.now() - sliceStart < sliceMs) return;
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    },
  };
}
