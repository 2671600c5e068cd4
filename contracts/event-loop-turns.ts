/**
 * Gives the event loop a turn every few milliseconds of work. Projectors and the ingestion worker share their
 * process with the API (the embedded default runs everything in one), and their own work (terms of a 256 kB chunk
 * event, every chunk of an 8,000-chunk document on delete, hashing a batch of chunks into vectors) would otherwise
 * hold every request for tens of milliseconds to seconds. Shared by every layer, so it lives with the contracts.
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
