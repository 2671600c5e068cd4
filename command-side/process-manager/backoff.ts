/** Retry pacing of process manager steps: exponential from a first delay, capped, with jitter so instances spread. */

export const backoffMs = (firstMs: number, attempt: number, capMs = 30_000): number =>
  Math.min(capMs, firstMs * 2 ** Math.max(0, attempt - 1)) * (0.5 + Math.random() / 2);

/** Resolves after `ms`, or at once when `signal` aborts (never rejects: the caller checks the signal). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
