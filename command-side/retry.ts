/**
 * The one way the command side retries: exponential backoff (a first wait, doubling, capped, part of it drawn at
 * random) around an attempt that runs until it succeeds, fails in a way not worth another try, has spent its
 * retries or is aborted. Callers keep their own numbers and their own rule of which failures retry.
 */

export interface Backoff {
  /** The wait after the first failure; it doubles after each further one. */
  firstDelayMs: number;
  /** No wait is longer. */
  maxDelayMs: number;
  /**
   * Share of each wait drawn at random, 0..1. 1 (full jitter) spreads writers that collided on one stream over the
   * whole window; 0.5 keeps at least half the wait (a loaded server gets its rest); 0 waits exactly.
   */
  jitter: number;
}

/** The wait after `failures` failed attempts (1, 2, ...). */
export function backoffDelay(backoff: Backoff, failures: number, random: () => number = Math.random): number {
  // The exponent stops growing long after the cap is reached, so endless retries never overflow to Infinity.
  const exponential = Math.min(backoff.maxDelayMs, backoff.firstDelayMs * 2 ** Math.min(failures - 1, 40));
  return exponential * (1 - backoff.jitter * random());
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects: the caller checks the signal). */
export function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface RetryOptions {
  /** Retries after the first attempt; Infinity: until shouldRetry refuses or the signal aborts. */
  retries: number;
  backoff: Backoff;
  /** Whether a failure is worth another attempt. Default: every failure is. */
  shouldRetry?: (error: unknown) => boolean;
  /** A wait the failure itself asks for (an HTTP Retry-After), taken instead of the backoff; still capped. */
  delayOf?: (error: unknown) => number | undefined;
  /** Before each wait, for logs: the failed attempts so far (1, 2, ...) and the wait. */
  onRetry?: (error: unknown, failures: number, delayMs: number) => void;
  /** Aborting ends a wait at once, and no attempt starts after it: retry throws the signal's reason. */
  signal?: AbortSignal;
  /** Tests pass one that does not wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs attempt(0), then attempt(1), ... (the argument counts the failures before it) until one succeeds; when no
 * retry is left, or the failure is not worth one, that failure is thrown.
 */
export async function retry<T>(attempt: (failures: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? sleepUnlessAborted;
  for (let failures = 0; ; ) {
    options.signal?.throwIfAborted();
    try {
      return await attempt(failures);
    } catch (error) {
      failures++;
      if (failures > options.retries || !(options.shouldRetry?.(error) ?? true)) throw error;
      const delayMs = Math.min(options.backoff.maxDelayMs, options.delayOf?.(error) ?? backoffDelay(options.backoff, failures));
      options.onRetry?.(error, failures, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
}
